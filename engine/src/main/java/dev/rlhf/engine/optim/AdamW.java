package dev.rlhf.engine.optim;

import dev.rlhf.engine.graph.Ops;
import dev.rlhf.engine.graph.Value;
import java.util.List;
import java.util.Map;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter), as torch.optim.AdamW computes it:
 * the decay shrinks the parameter directly instead of entering the moment estimates.
 * The update is memory-bound on large models, so every scalar factor (gradient scale, bias
 * corrections, learning rate, decay) is combined first and each full-size tensor is touched by
 * as few elementwise nodes as possible.
 */
public record AdamW(double beta1, double beta2, double epsilon) implements Optimizer {
    public static AdamW defaults() {
        return new AdamW(0.9, 0.999, 1e-8);
    }

    @Override
    public List<String> stateNames() {
        return List.of("m", "v");
    }

    @Override
    public Map<String, Value> update(Ops o, Value p, Value g, Value gradScale, Map<String, Value> state, Value step,
                                     Value lr, ParamGroup group) {
        var t = p.dtype();
        Value one = o.scalar(t, 1);
        // scalars
        Value rate = o.mul(lr, group.lrScale());
        Value firstWeight = gradScale == null ? o.scalar(t, 1 - beta1) : o.mul(gradScale, 1 - beta1);
        Value secondWeight = gradScale == null ? o.scalar(t, 1 - beta2) : o.mul(o.mul(gradScale, gradScale), 1 - beta2);
        Value c1 = o.sub(one, o.pow(o.scalar(t, beta1), step));                   // bias corrections 1 - beta^t
        Value c2 = o.sub(one, o.pow(o.scalar(t, beta2), step));
        // (m / c1) / (sqrt(v / c2) + eps) = m * (sqrt(c2) / c1) / (sqrt(v) + eps * sqrt(c2)):
        // both corrections become scalars and the denominator needs two passes instead of three
        Value rootC2 = o.sqrt(c2);
        Value stepSize = o.div(o.mul(rate, rootC2), c1);
        Value scaledEpsilon = o.mul(rootC2, epsilon);
        // full-size tensors
        Value b1 = o.scalar(t, beta1), b2 = o.scalar(t, beta2);
        Value m = o.add(o.mul(state.get("m"), b1), o.mul(g, firstWeight));         // first moment
        Value v = o.add(o.mul(state.get("v"), b2), o.mul(o.mul(g, g), secondWeight)); // second moment
        Value denom = o.add(o.sqrt(v), scaledEpsilon);
        Value decay = group.weightDecay() == 0 ? one : o.sub(one, o.mul(rate, group.weightDecay()));
        Value decayed = group.weightDecay() == 0 ? p : o.mul(p, decay);
        Value next = o.sub(decayed, o.mul(o.div(m, denom), stepSize));
        // the same arithmetic in one pass instead of thirteen, where the fused kernels are loaded
        o.graph().fusedKernel("AdamWStep", List.of(p, g, state.get("m"), state.get("v"), b1, firstWeight, b2,
                secondWeight, scaledEpsilon, decay, stepSize), List.of(next, m, v));
        return Map.of("param", next, "m", m, "v", v);
    }
}
