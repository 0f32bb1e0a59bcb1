package dev.rlhf.engine.autodiff;

import dev.rlhf.engine.graph.Dim;
import dev.rlhf.engine.graph.Ops;
import dev.rlhf.engine.graph.Value;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Backward rules of ReduceSum, ReduceMean and ReduceMax (axes given as a constant input, opset 18). */
final class ReductionGradients {
    private ReductionGradients() {
    }

    static void register(Map<String, GradientRule> r) {
        r.put("ReduceSum", c -> Arrays.asList(spread(c), null));
        r.put("ReduceMean", c -> Arrays.asList(c.ops().div(spread(c), count(c)), null));
        r.put("ReduceMax", ReductionGradients::reduceMax);
    }

    /** The output gradient broadcast back over the reduced axes. */
    private static Value spread(GradientContext c) {
        return c.ops().expandLike(keepDims(c, c.grad()), c.input(0));
    }

    private static Value keepDims(GradientContext c, Value v) {
        if (c.node().intAttr("keepdims", 1) == 1) return v;
        long[] axes = normalizedAxes(c);
        return c.ops().unsqueeze(v, axes);
    }

    private static long[] normalizedAxes(GradientContext c) {
        Value x = c.input(0);
        return Arrays.stream(c.constantInts(1)).map(a -> x.shape().normalizeAxis((int) a)).sorted().toArray();
    }

    private static Value count(GradientContext c) {
        Ops o = c.ops();
        Value x = c.input(0);
        long n = 1;
        for (long a : normalizedAxes(c)) {
            Dim d = x.shape().dim((int) a);
            if (!d.isStatic()) {
                throw new UnsupportedOperationException("ReduceMean gradient over symbolic axis " + d + " of " + x);
            }
            n *= d.size();
        }
        return o.scalar(x.dtype(), n);
    }

    /** Ties share the gradient equally, as PyTorch's amax does. */
    private static List<Value> reduceMax(GradientContext c) {
        Ops o = c.ops();
        Value x = c.input(0);
        Value maxKept = o.expandLike(keepDims(c, c.output(0)), x);
        Value mask = o.cast(o.equal(x, maxKept), x.dtype());
        Value ties = o.reduceSum(mask, normalizedAxes(c), true);
        Value share = o.div(keepDims(c, c.grad()), ties);
        return Arrays.asList(o.mul(mask, o.expandLike(share, x)), null);
    }
}
