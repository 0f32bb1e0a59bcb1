package dev.rlhf.events.model;

import java.util.Objects;
import java.util.UUID;

/**
 * A reward model's score for one completion. Scores are comparable only within one reward model
 * version, hence the version beside the score.
 */
public record RewardScore(UUID completionId, ModelVersionRef rewardModel, double score) {

    public RewardScore {
        Objects.requireNonNull(completionId, "completionId");
        Objects.requireNonNull(rewardModel, "rewardModel");
        if (!Double.isFinite(score)) {
            throw new IllegalArgumentException("score must be finite, got " + score);
        }
    }
}
