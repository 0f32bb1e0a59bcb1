package dev.rlhf.rewardmodel.dataset;

/** Where a preference pair came from: a two-way choice, or one ordered pair of an N-way ranking. */
public enum PairKind {
    PAIRWISE,
    RANKING
}
