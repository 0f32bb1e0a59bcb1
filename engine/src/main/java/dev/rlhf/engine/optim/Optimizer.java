package dev.rlhf.engine.optim;

import dev.rlhf.engine.graph.Ops;
import dev.rlhf.engine.graph.Value;
import java.util.List;
import java.util.Map;

/**
 * An update rule emitted as graph nodes. The training graph feeds the current parameter, its
 * gradient and its state tensors, and outputs the new parameter and new state, so the whole
 * step is one ONNX Runtime call.
 */
public interface Optimizer {
    /** Names of the per-parameter state tensors, each shaped like the parameter (e.g. "m", "v"). */
    List<String> stateNames();

    /**
     * @param gradScale a scalar the gradient is to be multiplied by (clipping, averaging over
     *                  micro-batches), or null for none. Folding it into the optimizer's own scalar
     *                  factors saves one pass over every parameter per step.
     * @param step the 1-based step number being taken, a float scalar (for bias correction)
     * @param lr   the scheduled learning rate for this step, a float scalar; the group scales it
     * @return the new parameter under key {@code "param"} and each new state under its name
     */
    Map<String, Value> update(Ops ops, Value param, Value grad, Value gradScale, Map<String, Value> state,
                              Value step, Value lr, ParamGroup group);
}
