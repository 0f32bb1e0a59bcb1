package dev.rlhf.engine.optim;

/**
 * Per-parameter hyperparameters: a multiplier on the scheduled learning rate (discriminative,
 * per-layer rates) and the weight decay (usually 0 for biases and norms).
 */
public record ParamGroup(double lrScale, double weightDecay) {
    public static ParamGroup of(double weightDecay) {
        return new ParamGroup(1.0, weightDecay);
    }
}
