package dev.rlhf.engine.runtime;

/** A training step produced NaN or infinity; the message names the step and the tensor. */
public final class NonFiniteValueException extends EngineException {
    private final long step;
    private final String tensor;

    public NonFiniteValueException(long step, String tensor, double value) {
        super("step " + step + ": tensor '" + tensor + "' is " + value + "; training stopped before the update was kept");
        this.step = step;
        this.tensor = tensor;
    }

    public long step() {
        return step;
    }

    public String tensor() {
        return tensor;
    }
}
