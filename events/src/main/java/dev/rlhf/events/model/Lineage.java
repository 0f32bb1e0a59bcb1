package dev.rlhf.events.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a published model was made from, in summary; the full record is the version's
 * {@code metadata.json} in the registry.
 *
 * @param judgments the judgment topic's offset ranges that fed the training set
 * @param judgmentCount how many judgments were used after filtering (gold, flags, ties)
 * @param baseModel the model the weights started from (registry path or external name)
 * @param rewardModel the reward model that scored rollouts, for policies trained with one; else null
 * @param hyperparameters the settings that matter to reproduce the run (learning rate, beta, epochs, ...)
 */
public record Lineage(List<OffsetRange> judgments, long judgmentCount, String baseModel,
                      ModelVersionRef rewardModel, Map<String, Object> hyperparameters) {

    public Lineage {
        Objects.requireNonNull(baseModel, "lineage.baseModel");
        judgments = judgments == null ? List.of() : List.copyOf(judgments);
        hyperparameters = hyperparameters == null ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(hyperparameters));
    }
}
