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

    /** The L2 norm of all gradients together, a scalar. */
    public static Value globalNorm(Ops o, Iterable<Value> grads) {
        Value sumSquares = null;
        for (Value g : grads) {
            Value s = o.sumAll(o.mul(g, g));
            sumSquares = sumSquares == null ? s : o.add(sumSquares, s);
        }
        return o.sqrt(sumSquares);
    }

    /** The factor min(1, maxNorm / (norm + 1e-6)) that clipping multiplies every gradient by. */
    public static Value scale(Ops o, Value norm, double maxNorm) {
        Value one = o.scalar(norm.dtype(), 1.0);
        return o.min(one, o.div(o.scalar(norm.dtype(), maxNorm), o.add(norm, 1e-6)));
    }

    /** Clipped copies of the gradients (the training graph folds {@link #scale} into the optimizer instead). */
    public static Map<String, Value> clip(Ops o, Map<String, Value> grads, double maxNorm) {
        Value factor = scale(o, globalNorm(o, grads.values()), maxNorm);
        Map<String, Value> clipped = new LinkedHashMap<>();
        grads.forEach((name, g) -> clipped.put(name, o.mul(g, factor)));
        return clipped;
    }
}
