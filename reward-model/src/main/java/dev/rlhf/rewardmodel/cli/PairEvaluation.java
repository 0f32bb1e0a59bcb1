package dev.rlhf.rewardmodel.cli;

import dev.rlhf.rewardmodel.dataset.LabelledPair;
import dev.rlhf.rewardmodel.training.Calibration;
import dev.rlhf.rewardmodel.training.VersionMetrics;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * How well rewards order some pairs: accuracy (share with r_chosen &gt; r_rejected, as the trainer counts
 * it), expected calibration error of σ(Δr) ({@link Calibration}, {@value VersionMetrics#ECE_BINS} bins), the
 * mean Bradley–Terry loss −log σ(Δr − margin) and the mean Δr.
 */
public record PairEvaluation(int pairs, double accuracy, double ece, double loss, double meanMargin) {

    /** @param margins per pair, in the order of {@code pairs} (0 for none) */
    public static PairEvaluation of(List<LabelledPair> pairs, double[] margins, Map<UUID, Double> rewards) {
        if (pairs.isEmpty()) return new PairEvaluation(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        double[] deltas = new double[pairs.size()];
        double loss = 0, sum = 0;
        int right = 0;
        for (int i = 0; i < deltas.length; i++) {
            LabelledPair p = pairs.get(i);
            deltas[i] = rewards.get(p.chosenId()) - rewards.get(p.rejectedId());
            if (deltas[i] > 0) right++;
            loss += softplus(-(deltas[i] - margins[i]));
            sum += deltas[i];
        }
        return new PairEvaluation(deltas.length, (double) right / deltas.length,
                Calibration.expectedCalibrationError(deltas, VersionMetrics.ECE_BINS), loss / deltas.length, sum / deltas.length);
    }

    /** log(1 + e^x), without overflow: −log σ(z) = softplus(−z). */
    static double softplus(double x) {
        return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
    }
}
