package dev.rlhf.rewardmodel.scoring;

import java.util.List;

/**
 * How sure a version is about candidate pairs, least sure first.
 *
 * @param pairs each with {@code probabilityA} = σ(r_A - r_B) and {@code certainty} = |P(A>B) - 0.5|:
 *              0 means the model cannot tell A from B (the most informative pair to ask raters about)
 */
public record PairCertainty(String modelId, int version, List<Entry> pairs) {

    public record Entry(String pairId, double rewardA, double rewardB, double probabilityA, double certainty) {
    }
}
