package dev.rlhf.rewardmodel.training;

import dev.rlhf.engine.graph.TensorData;
import dev.rlhf.engine.model.RewardModel;
import dev.rlhf.engine.runtime.Engine;
import dev.rlhf.engine.runtime.RuntimeOptions;
import dev.rlhf.rewardmodel.support.HiddenRule;
import dev.rlhf.rewardmodel.support.TinyModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/** What trains under each setting: after a short run, exactly the chosen weights moved (LoRA merged into its targets). */
class TrainableChoiceTest {

    private static final Engine ENGINE = new Engine(RuntimeOptions.defaults().withThreads(2));

    @Test
    void loraMovesOnlyTheAttentionWeightsItAdaptsAndTheHead(@TempDir Path tmp) throws Exception {
        assertMoved(tmp, TrainingSettings.Trainable.LORA,
                n -> n.endsWith("attn.c_attn.weight") || n.endsWith("attn.c_proj.weight"));
    }

    @Test
    void topLayersMovesTheLastBlockAndTheFinalNormOnly(@TempDir Path tmp) throws Exception {
        assertMoved(tmp, TrainingSettings.Trainable.TOP_LAYERS, n -> n.contains(".h.1.") || n.contains("ln_f"));
    }

    @Test
    void fullMovesEveryWeight(@TempDir Path tmp) throws Exception {
        assertMoved(tmp, TrainingSettings.Trainable.FULL, n -> true);
    }

    private static void assertMoved(Path tmp, TrainingSettings.Trainable trainable, Predicate<String> backboneMoves)
            throws Exception {
        TrainingSettings settings = new TrainingSettings(trainable, 4, 8, 1, 1e-2, 0.0, 8, 48, 1, 1000, 5, 0.0, "s",
                Margins.parse("none=0,1=0,2=0,3=0"), 0.0, Set.of(), false, 3, 16);
        TrainingData data = TrainingData.of(HiddenRuleTrainingTest.snapshotOf(HiddenRule.judgments(0, 24, 5)), settings);
        try (StartingPoint start = StartingPoint.load(TinyModels.writeGpt2(tmp.resolve("base"), 2))) {
            Map<String, double[]> before = new LinkedHashMap<>();
            start.backbone().parameters().asMap().forEach((n, t) -> before.put(n, t.toDoubles()));
            TrainedRewardModel trained = new RewardModelTrainer(ENGINE, settings).train(data, start, p -> { });
            Map<String, TensorData> after = trained.model().backbone().parameters().asMap();
            assertThat(after.keySet()).doesNotContain("transformer.h.0.attn.c_attn.weight.lora_A");
            for (Map.Entry<String, double[]> e : before.entrySet()) {
                boolean moved = !Arrays.equals(e.getValue(), after.get(e.getKey()).toDoubles());
                assertThat(moved).as(trainable + ": " + e.getKey() + " moved").isEqualTo(backboneMoves.test(e.getKey()));
            }
            assertThat(after).containsKey(RewardModel.SCORE);   // the new head, trained in every mode
        }
    }
}
