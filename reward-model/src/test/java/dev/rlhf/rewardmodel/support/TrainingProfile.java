package dev.rlhf.rewardmodel.support;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The worker with a base model (a fresh tiny GPT-2 written to a temporary folder), its own registry, and
 * continuous training that fires after {@value #RETRAIN_AFTER} judgments, checked every second.
 */
public class TrainingProfile implements QuarkusTestProfile {

    public static final int RETRAIN_AFTER = 400;
    private static Path root;

    public static synchronized Path root() {
        if (root == null) {
            try {
                root = Files.createTempDirectory("rm-e2e");
                TinyModels.writeGpt2(root.resolve("base"), 1);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return root;
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        Path dir = root();
        return Map.ofEntries(
                Map.entry("rlhf.reward-model.model-id", "rm-e2e"),
                Map.entry("rlhf.reward-model.registry-root", dir.resolve("registry").toString()),
                Map.entry("rlhf.reward-model.training.base-model", dir.resolve("base").toString()),
                Map.entry("rlhf.reward-model.training.retrain-after-judgments", Integer.toString(RETRAIN_AFTER)),
                Map.entry("rlhf.reward-model.training.check-interval", "1s"),
                Map.entry("rlhf.reward-model.training.trainable", "full"),
                Map.entry("rlhf.reward-model.training.learning-rate", "3e-3"),
                Map.entry("rlhf.reward-model.training.batch-size", "16"),
                Map.entry("rlhf.reward-model.training.max-length", "48"),
                Map.entry("rlhf.reward-model.training.max-epochs", "10"),
                Map.entry("rlhf.reward-model.training.eval-every", "25"),
                // the tiny model sits on a plateau for a few epochs before it finds the rule: no early stop here
                Map.entry("rlhf.reward-model.training.patience", "100"),
                Map.entry("rlhf.reward-model.training.validation-fraction", "0.2"),
                Map.entry("rlhf.reward-model.scoring.batch-size", "64"));
    }
}
