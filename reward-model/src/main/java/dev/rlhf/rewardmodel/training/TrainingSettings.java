package dev.rlhf.rewardmodel.training;

import dev.rlhf.rewardmodel.config.RewardModelConfig;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything that decides a training run, as one value: built from the worker's configuration, written
 * into each version's lineage, and constructed directly by tests.
 */
public record TrainingSettings(Trainable trainable, int loraRank, double loraAlpha, int topLayers,
                               double learningRate, double weightDecay, int batchSize, int maxLength, int maxEpochs,
                               int evalEvery, int patience, double validationFraction, String splitSalt,
                               Margins margins, double centeringCoefficient, Set<String> excludeFlags,
                               boolean includeGold, long seed, int scoringBatchSize) {

    /** Which weights train; the reward head always does. */
    public enum Trainable {
        LORA, FULL, TOP_LAYERS;

        static Trainable parse(String text) {
            return switch (text.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "lora" -> LORA;
                case "full" -> FULL;
                case "top-layers" -> TOP_LAYERS;
                default -> throw new IllegalArgumentException("trainable: '" + text
                        + "' is not one of lora, full, top-layers");
            };
        }
    }

    public TrainingSettings {
        if (batchSize < 1 || maxLength < 2 || maxEpochs < 1 || evalEvery < 1 || patience < 1 || scoringBatchSize < 1) {
            throw new IllegalArgumentException("batch-size, max-epochs, eval-every, patience and the scoring batch size "
                    + "must be at least 1 and max-length at least 2");
        }
        if (!(learningRate > 0)) {
            throw new IllegalArgumentException("learning-rate must be positive, got " + learningRate);
        }
        excludeFlags = Set.copyOf(excludeFlags);
    }

    public static TrainingSettings from(RewardModelConfig config) {
        RewardModelConfig.Training t = config.training();
        return new TrainingSettings(Trainable.parse(t.trainable()), t.loraRank(), t.loraAlpha(), t.topLayers(),
                t.learningRate(), t.weightDecay(), t.batchSize(), t.maxLength(), t.maxEpochs(), t.evalEvery(),
                t.patience(), t.validationFraction(), t.splitSalt(), Margins.parse(t.margins()),
                t.centeringCoefficient(), Set.copyOf(t.excludeFlags()), t.includeGold(), t.seed(),
                config.scoring().batchSize());
    }

    /** The hyperparameters as lineage records them. */
    public Map<String, Object> asLineage() {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("trainable", trainable.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
        if (trainable == Trainable.LORA) {
            h.put("loraRank", loraRank);
            h.put("loraAlpha", loraAlpha);
        }
        if (trainable == Trainable.TOP_LAYERS) {
            h.put("topLayers", topLayers);
        }
        h.put("learningRate", learningRate);
        h.put("weightDecay", weightDecay);
        h.put("batchSize", batchSize);
        h.put("maxLength", maxLength);
        h.put("maxEpochs", maxEpochs);
        h.put("evalEvery", evalEvery);
        h.put("patience", patience);
        h.put("validationFraction", validationFraction);
        h.put("splitSalt", splitSalt);
        h.put("margins", margins.asMap());
        h.put("centeringCoefficient", centeringCoefficient);
        h.put("excludeFlags", List.copyOf(new java.util.TreeSet<>(excludeFlags)));
        h.put("includeGold", includeGold);
        h.put("seed", seed);
        return h;
    }
}
