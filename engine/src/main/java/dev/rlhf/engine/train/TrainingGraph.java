package dev.rlhf.engine.train;

import dev.rlhf.engine.autodiff.Autodiff;
import dev.rlhf.engine.graph.Ops;
import dev.rlhf.engine.graph.Shape;
import dev.rlhf.engine.graph.Value;
import dev.rlhf.engine.optim.GradientClipping;
import dev.rlhf.engine.optim.Optimizer;
import dev.rlhf.engine.optim.ParamGroup;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Appends backward pass, optional global-norm clipping and the optimizer update to a graph that
 * computes a scalar loss. The graph's interface after this call:
 * inputs  - batch inputs, trainable parameters, optimizer state {@code <param>.<state>},
 *           {@value #STEP} (1-based, for bias correction) and {@value #LR};
 * outputs - {@value #LOSS}, {@value #GRAD_NORM}, and {@code next.<name>} for every parameter and state.
 */
public final class TrainingGraph {
    public static final String STEP = "step";
    public static final String LR = "lr";
    public static final String LOSS = "loss";
    public static final String GRAD_NORM = "grad_norm";
    public static final String NEXT = "next.";

    private TrainingGraph() {
    }

    /** @param maxGradNorm clip threshold, or 0 for no clipping (the norm is output either way) */
    public static void append(Ops o, Value loss, Parameters params, Optimizer optimizer,
                              Function<String, ParamGroup> groups, double maxGradNorm) {
        if (loss.rank() != 0) throw new IllegalArgumentException("loss must be a scalar, got " + loss);
        var g = o.graph();
        List<Value> trainable = params.trainableNames().stream().map(g::value).toList();
        Map<Value, Value> raw = new Autodiff().gradients(o, loss, trainable);
        Map<String, Value> grads = new LinkedHashMap<>();
        raw.forEach((p, gp) -> grads.put(p.name(), gp));
        Map<String, Value> clipped = GradientClipping.clipByGlobalNorm(o, grads, maxGradNorm);

        Value step = g.input(STEP, loss.dtype(), Shape.scalar());
        Value lr = g.input(LR, loss.dtype(), Shape.scalar());
        g.output(loss, LOSS);
        g.output(clipped.get(GradientClipping.NORM), GRAD_NORM);
        for (Value p : trainable) {
            Map<String, Value> state = new HashMap<>();
            for (String s : optimizer.stateNames()) {
                state.put(s, g.input(stateName(p.name(), s), p.dtype(), p.shape()));
            }
            Map<String, Value> next = optimizer.update(o, p, clipped.get(p.name()), state, step, lr, groups.apply(p.name()));
            g.output(next.get("param"), NEXT + p.name());
            for (String s : optimizer.stateNames()) {
                g.output(next.get(s), NEXT + stateName(p.name(), s));
            }
        }
    }

    public static String stateName(String param, String state) {
        return param + "." + state;
    }
}
