package dev.rlhf.rewardmodel.training;

/**
 * Expected calibration error of the model's preference probabilities σ(Δr). Every pair is counted in
 * both orientations, (σ(Δr), chosen won) and (σ(-Δr), rejected won), so "probability that the first
 * wins" covers [0, 1] and a model that always says 0.9 while being right 60% of the time is off by 0.3
 * in its bins. Equal-width bins; ECE = Σ (n_b / N) |accuracy_b - confidence_b|.
 */
public final class Calibration {

    private Calibration() {
    }

    /** @param deltas r_chosen - r_rejected per pair */
    public static double expectedCalibrationError(double[] deltas, int bins) {
        if (deltas.length == 0) return Double.NaN;
        double[] confidence = new double[bins];
        double[] wins = new double[bins];
        long[] count = new long[bins];
        for (double delta : deltas) {
            double p = sigmoid(delta);
            add(p, 1, bins, confidence, wins, count);
            add(1 - p, 0, bins, confidence, wins, count);
        }
        double ece = 0;
        long total = 2L * deltas.length;
        for (int b = 0; b < bins; b++) {
            if (count[b] > 0) {
                ece += (double) count[b] / total * Math.abs(wins[b] / count[b] - confidence[b] / count[b]);
            }
        }
        return ece;
    }

    private static void add(double p, int won, int bins, double[] confidence, double[] wins, long[] count) {
        int b = Math.min(bins - 1, (int) (p * bins));
        confidence[b] += p;
        wins[b] += won;
        count[b]++;
    }

    public static double sigmoid(double x) {
        return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    }
}
