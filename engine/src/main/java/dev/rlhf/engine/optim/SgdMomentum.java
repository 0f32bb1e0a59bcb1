package dev.rlhf.engine.optim;

import dev.rlhf.engine.graph.Ops;
import dev.rlhf.engine.graph.Value;
import java.util.List;
import java.util.Map;

/**
 * SGD with heavy-ball momentum and L2 weight decay added to the gradient, as torch.optim.SGD
 * (dampening 0, no Nesterov): buf = mu * buf + (g + wd * p); p = p - lr * buf.
 */
public record SgdMomentum(double momentum) implements Optimizer {
    @Override
    public List<String> stateNames() {
        return List.of("momentum");
    }

    @Override
    public Map<String, Value> update(Ops o, Value p, Value g, Value gradScale, Map<String, Value> state, Value step,
                                     Value lr, ParamGroup group) {
        Value grad = gradScale == null ? g : o.mul(g, gradScale);
        if (group.weightDecay() != 0) grad = o.add(grad, o.mul(p, group.weightDecay()));
        Value buf = o.add(o.mul(state.get("momentum"), momentum), grad);
        Value next = o.sub(p, o.mul(buf, o.mul(lr, group.lrScale())));
        return Map.of("param", next, "momentum", buf);
    }
}
