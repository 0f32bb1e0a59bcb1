package dev.rlhf.engine.train;

import dev.rlhf.engine.autodiff.Autodiff;
import dev.rlhf.engine.graph.DType;
import dev.rlhf.engine.graph.GraphBuilder;
import dev.rlhf.engine.graph.Ops;
import dev.rlhf.engine.graph.Shape;
import dev.rlhf.engine.graph.TensorData;
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
 * Turns a graph that computes a scalar loss into a training step. The fused form
 * ({@link #append}) does forward, backward, clipping and the optimizer update in one graph:
 * inputs  - batch inputs, trainable parameters, optimizer state {@code <param>.<state>},
 *           {@value #STEP} (1-based, for bias correction) and {@value #LR};
 * outputs - {@value #LOSS}, {@value #GRAD_NORM}, and {@code next.<name>} for every parameter and state.
 * With gradient accumulation the work splits in two graphs: {@link #appendAccumulation} adds
 * each micro-batch's gradient to {@code acc.<param>}, and {@link #updateGraph} applies their mean.
 */
public final class TrainingGraph {
    public static final String STEP = "step";
    public static final String LR = "lr";
    public static final String LOSS = "loss";
    public static final String GRAD_NORM = "grad_norm";
    public static final String NEXT = "next.";
    public static final String ACC = "acc.";

    private TrainingGraph() {
    }

    /** @param maxGradNorm clip threshold, or 0 for no clipping (the norm is output either way) */
    public static void append(Ops o, Value loss, Parameters params, Optimizer optimizer,
                              Function<String, ParamGroup> groups, double maxGradNorm) {
        Map<String, Value> grads = gradients(o, loss, params);
        o.graph().output(loss, LOSS);
        appendUpdate(o, params, grads, null, loss.dtype(), optimizer, groups, maxGradNorm);
    }

    /** Micro-batch graph: outputs {@value #LOSS} and {@code next.acc.<param>} = acc + gradient. */
    public static void appendAccumulation(Ops o, Value loss, Parameters params) {
        Map<String, Value> grads = gradients(o, loss, params);
        GraphBuilder g = o.graph();
        g.output(loss, LOSS);
        grads.forEach((name, grad) -> {
            Value acc = g.input(ACC + name, grad.dtype(), g.value(name).shape());
            g.outputByRenaming(o.add(acc, grad), NEXT + ACC + name);
        });
    }

    /** Update graph: the mean of {@code microBatches} accumulated gradients, clipped, through the optimizer. */
    public static GraphBuilder updateGraph(Parameters params, DType scalarType, Optimizer optimizer,
                                           Function<String, ParamGroup> groups, double maxGradNorm, int microBatches) {
        GraphBuilder g = new GraphBuilder("update");
        Ops o = new Ops(g);
        Map<String, Value> sums = new LinkedHashMap<>();
        for (String name : params.trainableNames()) {
            TensorData p = params.get(name);
            g.input(name, p.dtype(), Shape.of(p.dims()));
            sums.put(name, g.input(ACC + name, p.dtype(), Shape.of(p.dims())));
        }
        Value mean = o.scalar(scalarType, 1.0 / microBatches);
        appendUpdate(o, params, sums, mean, scalarType, optimizer, groups, maxGradNorm);
        return g;
    }

    private static Map<String, Value> gradients(Ops o, Value loss, Parameters params) {
        if (loss.rank() != 0) throw new IllegalArgumentException("loss must be a scalar, got " + loss);
        List<Value> trainable = params.trainableNames().stream().map(o.graph()::value).toList();
        Map<String, Value> grads = new LinkedHashMap<>();
        new Autodiff().gradients(o, loss, trainable).forEach((p, gp) -> grads.put(p.name(), gp));
        return grads;
    }

    /**
     * Clipping and averaging only scale every gradient by one scalar, so that scalar is handed to
     * the optimizer (which folds it into its own factors) instead of rewriting each gradient.
     * @param gradScale the averaging factor for accumulated sums, or null
     */
    private static void appendUpdate(Ops o, Parameters params, Map<String, Value> grads, Value gradScale,
                                     DType scalarType, Optimizer optimizer, Function<String, ParamGroup> groups,
                                     double maxGradNorm) {
        GraphBuilder g = o.graph();
        Value norm = GradientClipping.globalNorm(o, grads.values());
        if (gradScale != null) norm = o.mul(norm, gradScale);
        Value scale = gradScale;
        if (maxGradNorm > 0) {
            Value clip = GradientClipping.scale(o, norm, maxGradNorm);
            scale = scale == null ? clip : o.mul(scale, clip);
        }
        Value step = g.input(STEP, scalarType, Shape.scalar());
        Value lr = g.input(LR, scalarType, Shape.scalar());
        g.output(norm, GRAD_NORM);
        for (String name : params.trainableNames()) {
            Value p = g.value(name);
            Map<String, Value> state = new HashMap<>();
            for (String s : optimizer.stateNames()) {
                state.put(s, g.input(stateName(name, s), p.dtype(), p.shape()));
            }
            Map<String, Value> next = optimizer.update(o, p, grads.get(name), scale, state, step, lr, groups.apply(name));
            g.outputByRenaming(next.get("param"), NEXT + name);
            for (String s : optimizer.stateNames()) {
                g.outputByRenaming(next.get(s), NEXT + stateName(name, s));
            }
        }
    }

    public static String stateName(String param, String state) {
        return param + "." + state;
    }
}
