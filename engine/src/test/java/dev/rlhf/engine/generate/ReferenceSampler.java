package dev.rlhf.engine.generate;

import java.util.Arrays;

/**
 * A plain-Java transcription of the token choice, in double precision, to check the graph:
 * repetition penalty, then greedy argmax or temperature, top-k, top-p and inverse-CDF sampling.
 */
final class ReferenceSampler {
    record Pick(int token, double logProb, double modelLogProb) {
    }

    private ReferenceSampler() {
    }

    static Pick pick(float[] logits, boolean[] seen, float uniform, GenerationSettings s) {
        int v = logits.length;
        double[] penalized = new double[v];
        for (int j = 0; j < v; j++) {
            double l = logits[j];
            float pen = (float) s.repetitionPenalty();
            penalized[j] = seen[j] ? (l > 0 ? (float) (logits[j] / pen) : (float) (logits[j] * pen)) : l;
        }
        double[] raw = new double[v];
        for (int j = 0; j < v; j++) raw[j] = logits[j];
        if (s.greedy()) {
            int best = 0;
            for (int j = 1; j < v; j++) if (penalized[j] > penalized[best]) best = j;
            return new Pick(best, logSoftmax(penalized)[best], logSoftmax(raw)[best]);
        }
        double[] x = new double[v];
        for (int j = 0; j < v; j++) x[j] = penalized[j] / (float) s.temperature();
        if (s.topK() > 0) {
            double kth = sortedDescending(x)[Math.min(s.topK(), v) - 1];
            for (int j = 0; j < v; j++) if (x[j] < kth) x[j] = Double.NEGATIVE_INFINITY;
        }
        if (s.topP() < 1) {
            double[] sorted = sortedDescending(x);
            double[] p = softmax(sorted);
            double before = 0, threshold = Double.POSITIVE_INFINITY;
            for (int i = 0; i < v; i++) {
                if (before < (float) s.topP()) threshold = Math.min(threshold, sorted[i]);
                before += p[i];
            }
            for (int j = 0; j < v; j++) if (x[j] < threshold) x[j] = Double.NEGATIVE_INFINITY;
        }
        double[] p = softmax(x);
        double[] cdf = new double[v];
        double run = 0;
        for (int j = 0; j < v; j++) cdf[j] = run += p[j];
        double target = uniform * cdf[v - 1];
        int token = 0;
        while (token < v - 1 && cdf[token] <= target) token++;
        return new Pick(token, logSoftmax(x)[token], logSoftmax(raw)[token]);
    }

    private static double[] sortedDescending(double[] x) {
        double[] s = x.clone();
        Arrays.sort(s);
        for (int i = 0; i < s.length / 2; i++) {
            double t = s[i];
            s[i] = s[s.length - 1 - i];
            s[s.length - 1 - i] = t;
        }
        return s;
    }

    static double[] softmax(double[] x) {
        double max = Arrays.stream(x).max().orElseThrow(), sum = 0;
        double[] e = new double[x.length];
        for (int i = 0; i < x.length; i++) sum += e[i] = Math.exp(x[i] - max);
        for (int i = 0; i < x.length; i++) e[i] /= sum;
        return e;
    }

    static double[] logSoftmax(double[] x) {
        double max = Arrays.stream(x).max().orElseThrow(), sum = 0;
        for (double xi : x) sum += Math.exp(xi - max);
        double log = max + Math.log(sum);
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) out[i] = x[i] - log;
        return out;
    }
}
