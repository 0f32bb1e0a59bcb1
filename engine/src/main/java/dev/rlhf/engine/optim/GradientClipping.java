package dev.rlhf.engine.optim;

import dev.rlhf.engine.graph.Ops;
import dev.rlhf.engine.graph.Shape;
import dev.rlhf.engine.graph.Value;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Global-norm clipping as torch.nn.utils.clip_grad_norm_: all gradients are scaled by
 * min(1, maxNorm / (norm + 1e-6)) where norm is the L2 norm of all of them together.
 */
public final class GradientClipping {
    private GradientClipping() {
    }

    /**
     * The L2 norm of all gradients together, a scalar: one ReduceSumSquare pass per gradient
     * (instead of a square and a sum) and one variadic Sum of the partial results.
     */
    public static Value globalNorm(Ops o, Iterable<Value> grads) {
        List<Value> partial = new ArrayList<>();
        for (Value g : grads) {
            long[] axes = new long[g.rank()];
            for (int i = 0; i < axes.length; i++) axes[i] = i;
            partial.add(g.rank() == 0 ? o.mul(g, g)
                    : o.op("ReduceSumSquare", g.dtype(), Shape.scalar(), Map.of("keepdims", 0L), g, o.ints(axes)));
        }
        if (partial.isEmpty()) throw new IllegalArgumentException("no gradients to take the norm of");
        Value sumSquares = partial.size() == 1 ? partial.get(0)
                : o.op("Sum", partial.get(0).dtype(), Shape.scalar(), Map.of(), partial.toArray(Value[]::new));
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
