package dev.rlhf.rewardmodel.scoring;

import java.util.List;
import java.util.UUID;

/** Scores in the order of the request's items; comparable only within one version. */
public record ScoreResponse(String modelId, int version, List<Score> scores) {

    public record Score(UUID completionId, double score) {
    }
}
