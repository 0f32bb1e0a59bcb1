package dev.rlhf.engine.optim;

import dev.rlhf.engine.graph.Ops;
import dev.rlhf.engine.graph.Value;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Global-norm clipping as torch.nn.utils.clip_grad_norm_: all gradients are scaled by
 * min(1, maxNorm / (norm + 1e-6)) where norm is the L2 norm of all of them together.
 */
public final class GradientClipping {
    private GradientClipping() {
    }

    /** The clipped gradients, plus the pre-clipping global norm under the key {@link #NORM}. */
    public static final String NORM = "__global_norm__";

    /** With {@code maxNorm <= 0} the gradients pass unchanged and only the norm is added (for monitoring). */
    public static Map<String, Value> clipByGlobalNorm(Ops o, Map<String, Value> grads, double maxNorm) {
        Value norm = globalNorm(o, grads);
        if (maxNorm <= 0) {
            Map<String, Value> same = new LinkedHashMap<>(grads);
            same.put(NORM, norm);
            return same;
        }
        Value one = o.scalar(norm.dtype(), 1.0);
        Value scale = o.min(one, o.div(o.scalar(norm.dtype(), maxNorm), o.add(norm, 1e-6)));
        Map<String, Value> clipped = new LinkedHashMap<>();
        grads.forEach((name, g) -> clipped.put(name, o.mul(g, scale)));
        clipped.put(NORM, norm);
        return clipped;
    }

    public static Value globalNorm(Ops o, Map<String, Value> grads) {
        Value sumSquares = null;
        for (Value g : grads.values()) {
            Value s = o.sumAll(o.mul(g, g));
            sumSquares = sumSquares == null ? s : o.add(sumSquares, s);
        }
        return o.sqrt(sumSquares);
    }
}
