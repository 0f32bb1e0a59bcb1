package dev.rlhf.engine.autodiff;

import dev.rlhf.engine.graph.Dim;
import dev.rlhf.engine.graph.Ops;
import dev.rlhf.engine.graph.Value;
import java.util.ArrayList;
import java.util.List;

/** Undoes numpy broadcasting in the backward pass: sums a gradient back to an operand's shape. */
final class Broadcasting {
    private Broadcasting() {
    }

    /**
     * Sums {@code grad} over the axes along which {@code target} was broadcast. Which axes those are
     * is decided from static shapes: leading axes the target lacks, and axes where the target has a
     * static 1 and the gradient does not. A symbolic dimension is taken to be not broadcast.
     */
    static Value sumToShape(Ops ops, Value grad, Value target) {
        int lead = grad.rank() - target.rank();
        List<Long> axes = new ArrayList<>();
        for (int i = 0; i < grad.rank(); i++) {
            Dim gd = grad.shape().dim(i);
            if (i < lead || (target.shape().dim(i - lead).isOne() && !gd.isOne())) {
                axes.add((long) i);
            }
        }
        Value summed = grad;
        if (!axes.isEmpty()) {
            summed = ops.reduceSum(grad, axes.stream().mapToLong(Long::longValue).toArray(), true);
        }
        if (lead > 0) {
            summed = ops.reshapeLike(summed, target);
        }
        if (target.rank() == 1 && lead > 0 && axes.size() == lead) {
            // a bias's gradient: every row summed, in one pass where the fused kernels are loaded
            ops.graph().fusedKernel("SumRows", List.of(grad), List.of(summed));
        }
        return summed;
    }
}
