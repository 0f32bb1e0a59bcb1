package dev.rlhf.engine.optim;

/**
 * The learning rate for a 1-based step. Computed in Java and fed to the training graph as a
 * scalar, so changing the schedule never recompiles the graph.
 */
@FunctionalInterface
public interface LearningRateSchedule {
    double at(long step);

    static LearningRateSchedule constant(double lr) {
        return step -> lr;
    }

    /**
     * (1) linear warmup from 0 to peak over {@code warmup} steps; (2) linear decay to
     * {@code floor} at {@code total}; (3) floor afterwards.
     */
    static LearningRateSchedule warmupLinear(double peak, long warmup, long total, double floor) {
        return step -> {
            if (step <= warmup) return peak * step / Math.max(1, warmup);
            if (step >= total) return floor;
            double progress = (double) (step - warmup) / (total - warmup);
            return floor + (peak - floor) * (1 - progress);
        };
    }

    /** (1) linear warmup; (2) half-cosine decay from peak to floor at {@code total}; (3) floor afterwards. */
    static LearningRateSchedule warmupCosine(double peak, long warmup, long total, double floor) {
        return step -> {
            if (step <= warmup) return peak * step / Math.max(1, warmup);
            if (step >= total) return floor;
            double progress = (double) (step - warmup) / (total - warmup);
            return floor + 0.5 * (peak - floor) * (1 + Math.cos(Math.PI * progress));
        };
    }

    /**
     * Slanted triangular rate of ULMFiT (Howard and Ruder 2018): a short linear rise over a
     * fraction {@code cutFraction} of {@code total} steps, then a long linear fall; {@code ratio}
     * is how much smaller the lowest rate is than the peak.
     */
    static LearningRateSchedule slantedTriangular(double peak, long total, double cutFraction, double ratio) {
        long cut = (long) Math.floor(total * cutFraction);
        return step -> {
            long t = step - 1;   // the paper counts from 0
            double p = t < cut ? (double) t / cut : 1 - (double) (t - cut) / (cut * (1 / cutFraction - 1));
            return peak * (1 + p * (ratio - 1)) / ratio;
        };
    }
}
