package dev.rlhf.rewardmodel.offline;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rlhf.engine.runtime.Engine;
import dev.rlhf.engine.runtime.RuntimeOptions;
import dev.rlhf.rewardmodel.registry.VersionMetadata;
import dev.rlhf.rewardmodel.support.HiddenRule;
import dev.rlhf.rewardmodel.support.TinyModels;
import dev.rlhf.rewardmodel.training.Margins;
import dev.rlhf.rewardmodel.training.TrainingSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Training on a TRL preference file into a version folder, and evaluating that folder on another file. */
class OfflineRewardModelTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void trainsFromATrlFileAndEvaluatesTheFolderOnHeldOutPairs(@TempDir Path tmp) throws Exception {
        Path train = writeTrl(tmp.resolve("train.jsonl"), 480, 21);
        Path heldOut = writeTrl(tmp.resolve("held-out.jsonl"), 200, 22);
        TrainingSettings settings = new TrainingSettings(TrainingSettings.Trainable.FULL, 8, 16, 1, 3e-3, 0.0, 16, 48, 10,
                25, 100, 0.1, "rlhf", Margins.parse("none=0,1=0,2=0,3=0"), 0.0, Set.of(), false, 42, 64);
        Engine engine = new Engine(RuntimeOptions.defaults().withThreads(2));
        VersionMetadata made = OfflineRewardModel.train(engine, train, TinyModels.writeGpt2(tmp.resolve("base"), 1),
                tmp.resolve("out"), "rm-offline", settings, p -> { });
        assertThat(made.judgmentIds()).hasSize(480);
        assertThat(tmp.resolve("out/metadata.json")).exists();
        assertThat(tmp.resolve("out/reward_model.onnx")).exists();

        Map<String, Double> metrics = OfflineRewardModel.evaluate(engine, tmp.resolve("out"), heldOut, 64);
        System.out.println("held-out " + metrics);
        assertThat(metrics.get("pairs")).isEqualTo(200.0);
        assertThat(metrics.get("accuracy")).isGreaterThanOrEqualTo(0.95);
        assertThat(metrics.get("ece")).isBetween(0.0, 0.5);
    }

    @Test
    void namesTheLineAndFieldOfABadRow(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("bad.jsonl");
        Files.writeString(file, "{\"prompt\": \"p\", \"chosen\": \"a\", \"rejected\": \"b\"}\n\n{\"prompt\": \"p\", \"chosen\": \"a\"}\n");
        assertThatThrownBy(() -> TrlPreferenceFile.read(file)).hasMessageContaining("line 3: no 'rejected' field");
        Files.writeString(file, "{\"prompt\": [{\"role\": \"user\"}], \"chosen\": \"a\", \"rejected\": \"b\"}\n");
        assertThatThrownBy(() -> TrlPreferenceFile.read(file))
                .hasMessageContaining("line 1 field 'prompt': every message needs a string 'role' and 'content'");
    }

    @Test
    void readsStandardAndConversationalRowsAlike(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("two.jsonl");
        Files.writeString(file, """
                {"prompt": "Name a prime.", "chosen": "7", "rejected": "8"}
                {"prompt": [{"role": "user", "content": "Name a prime."}], "chosen": [{"role": "assistant", "content": "7"}], "rejected": [{"role": "assistant", "content": "8"}]}
                """);
        var pairs = TrlPreferenceFile.read(file);
        assertThat(pairs).hasSize(2);
        assertThat(pairs.get(0).promptId()).isEqualTo(pairs.get(1).promptId());
        assertThat(pairs.get(0).chosenId()).isEqualTo(pairs.get(1).chosenId());
        assertThat(pairs.get(1).prompt()).isEqualTo("user: Name a prime.\n");
    }

    /** The hidden-rule set as TRL rows, half standard, half conversational. */
    private Path writeTrl(Path file, int count, long seed) throws Exception {
        Random rng = new Random(seed);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String prompt = "question " + seed + i + " " + rng.nextInt(1_000_000);
            String chosen = HiddenRule.insertDigit(HiddenRule.words(rng), rng), rejected = HiddenRule.words(rng);
            Object row = i % 2 == 0
                    ? Map.of("prompt", prompt, "chosen", chosen, "rejected", rejected)
                    : Map.of("prompt", List.of(Map.of("role", "user", "content", prompt)),
                    "chosen", List.of(Map.of("role", "assistant", "content", chosen)),
                    "rejected", List.of(Map.of("role", "assistant", "content", rejected)));
            lines.add(json.writeValueAsString(row));
        }
        return Files.write(file, lines);
    }
}
