package dev.rlhf.rewardmodel.dataset;

/**
 * Whose verdict a pair expresses. Gold tasks carry both: the rater's answer (which may be wrong, that is
 * what gold tasks measure) and the known answer, which is what a model's gold accuracy is measured on.
 */
public enum PairOrigin {
    RATER,
    GOLD_ANSWER
}
