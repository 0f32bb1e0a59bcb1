package dev.rlhf.rewardmodel.dataset;

import java.util.UUID;

/**
 * One training signal for a Bradley–Terry model: {@code chosen} was preferred over {@code rejected}.
 *
 * @param strength 1 (slightly), 2 (clearly), 3 (much better), or null when the rater gave none; for a
 *                 ranking, the gap between the two ranks, capped at 3
 */
public record PreferencePair(UUID chosen, UUID rejected, Integer strength, PairKind kind, PairOrigin origin) {
}
