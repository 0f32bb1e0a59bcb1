package dev.rlhf.rewardmodel.cli;

import dev.rlhf.rewardmodel.training.TrainingProgress;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The {@code metadata.json} of a folder written by {@code rlhf train rm}: what was trained from what, how,
 * and how good it is. {@code encoding} and {@code maxLength} sit where the worker's version metadata has
 * them, so the same readers score both.
 *
 * @param config  the run's settings as the worker's lineage records them (split salt and fraction included)
 * @param metrics finite metrics only
 */
public record OfflineModelMetadata(String kind, Instant createdAt, String baseModel, String encoding, int maxLength,
                                   DataFile data, Map<String, Object> config, Map<String, Double> metrics,
                                   List<TrainingProgress> history) {

    public static final String KIND = "reward-model";

    /**
     * @param sha256  of the file's bytes
     * @param margins the margin each preference strength stood for (see {@link MarginStrengths})
     */
    public record DataFile(String path, String sha256, int pairs, int trainPairs, int validationPairs,
                           int validationPrompts, Map<String, Double> margins) {
    }
}
