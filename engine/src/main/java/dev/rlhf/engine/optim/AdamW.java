package dev.rlhf.engine.optim;

import dev.rlhf.engine.graph.Ops;
import dev.rlhf.engine.graph.Value;
import java.util.List;
import java.util.Map;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter), as torch.optim.AdamW computes it:
 * the decay shrinks the parameter directly instead of entering the moment estimates.
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
    public Map<String, Value> update(Ops o, Value p, Value g, Map<String, Value> state, Value step, Value lr,
                                     ParamGroup group) {
        Value rate = o.mul(lr, group.lrScale());
        Value m = o.add(o.mul(state.get("m"), beta1), o.mul(g, 1 - beta1));               // first moment
        Value v = o.add(o.mul(state.get("v"), beta2), o.mul(o.mul(g, g), 1 - beta2));     // second moment
        // bias corrections 1 - beta^t, computed in-graph from the fed step number
        Value c1 = o.sub(o.scalar(p.dtype(), 1), o.pow(o.scalar(p.dtype(), beta1), step));
        Value c2 = o.sub(o.scalar(p.dtype(), 1), o.pow(o.scalar(p.dtype(), beta2), step));
        Value denom = o.add(o.sqrt(o.div(v, c2)), epsilon);
        Value decayed = group.weightDecay() == 0 ? p : o.sub(p, o.mul(o.mul(p, rate), group.weightDecay()));
        Value next = o.sub(decayed, o.mul(rate, o.div(o.div(m, c1), denom)));
        return Map.of("param", next, "m", m, "v", v);
    }
}
