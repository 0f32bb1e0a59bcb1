package dev.rlhf.engine.train;

import dev.rlhf.engine.runtime.NonFiniteValueException;

/**
 * Stops training at the first NaN or infinity. Loss and global gradient norm are scalars checked
 * every step; only when the norm is non-finite are the written tensors scanned, to name one.
 * The check runs before the buffers swap, so the kept state is the last good one.
 */
final class NonFiniteChecks {
    private NonFiniteChecks() {
    }

    static void check(long step, double loss, double gradNorm, StateBuffers written) {
        if (!Double.isFinite(loss)) throw new NonFiniteValueException(step, TrainingGraph.LOSS, loss);
        if (Double.isFinite(gradNorm)) return;
        for (String name : written.names()) {
            for (double v : written.readNext(name).toDoubles()) {
                if (!Double.isFinite(v)) throw new NonFiniteValueException(step, TrainingGraph.NEXT + name, v);
            }
        }
        throw new NonFiniteValueException(step, TrainingGraph.GRAD_NORM, gradNorm);
    }
}
