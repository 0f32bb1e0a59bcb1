package dev.rlhf.rewardmodel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rlhf.engine.model.RewardModel;
import dev.rlhf.rewardmodel.support.TinyModels;
import dev.rlhf.rewardmodel.training.StartingPoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code rlhf train rm} on a TRL file whose raters follow a hidden rule, with a tiny model: it learns the rule,
 * writes a folder whose metadata records the data and metrics, and {@code rlhf eval rm} on that folder
 * reproduces the validation accuracy the run reported.
 */
class TrainAndEvalTest {

    @Test
    void learnsTheHiddenRuleAndEvalReproducesTheValidationAccuracy(@TempDir Path tmp) throws Exception {
        Path data = TrlFiles.hiddenRule(tmp.resolve("pairs.jsonl"), 600, 7);
        Path base = TinyModels.writeGpt2(tmp.resolve("base"), 1);
        Path out = tmp.resolve("rm");

        Console train = Console.run("train", "rm", "--data", data.toString(), "--model", base.toString(),
                "--out", out.toString(), "--full", "--lr", "3e-3", "--batch-size", "16", "--max-length", "48",
                "--epochs", "10", "--eval-every", "25", "--patience", "12", "--validation-fraction", "0.2",
                "--threads", "2", "--scoring-batch-size", "64");

        assertThat(train.exitCode()).as(train.err()).isZero();
        double reported = train.metric("validation accuracy");
        assertThat(reported).isGreaterThanOrEqualTo(0.95);
        assertThat(train.metric("validation ECE")).isBetween(0.0, 0.2);
        assertThat(train.metric("pairs/s (incl. validation)")).isPositive();

        JsonNode metadata = new ObjectMapper().readTree(out.resolve("metadata.json").toFile());
        assertThat(metadata.path("metrics").path("validation_accuracy").asDouble()).isEqualTo(reported, within(1e-4));
        assertThat(metadata.path("data").path("sha256").asText())
                .isEqualTo(HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(data))));
        assertThat(metadata.path("data").path("validationPairs").asInt()).isGreaterThan(80);
        assertThat(metadata.path("config").path("trainable").asText()).isEqualTo("full");
        assertThat(metadata.path("history").get(0).path("validationAccuracy").asDouble()).isLessThan(0.9);   // learned, not given

        Console eval = Console.run("eval", "rm", "--model", out.toString(), "--data", data.toString(),
                "--split", "validation", "--threads", "2");
        assertThat(eval.exitCode()).as(eval.err()).isZero();
        assertThat(eval.metric("pairs")).isEqualTo(metadata.path("data").path("validationPairs").asDouble());
        assertThat(eval.metric("accuracy")).isEqualTo(reported, within(1e-4));
        assertThat(eval.metric("ECE")).isEqualTo(train.metric("validation ECE"), within(1e-3));

        // the folder is a starting point again (warm start keeps the trained head)
        try (StartingPoint again = StartingPoint.load(out)) {
            assertThat(again.backbone().parameters().has(RewardModel.SCORE)).isTrue();
            assertThat(again.encoder().encoding()).isEqualTo("utf8-bytes");
        }
    }
}
