package dev.rlhf.engine.graph;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Operators that rank, count and index, without gradients: TopK, ArgMax, CumSum, Range, ReduceMin
 * and the comparisons generation needs. They emit through an {@link Ops} into its graph.
 */
public final class SearchOps {
    private final Ops o;

    public SearchOps(Ops o) {
        this.o = o;
    }

    /** The k largest values and their int64 indices along the last axis, sorted descending; k is a 1-element int64 tensor. */
    public List<Value> topK(Value x, Value k) {
        GraphBuilder g = o.graph();
        Dim kDim = Dim.symbol(g.freshName("k"));
        String values = g.freshName("topk_values");
        String indices = g.freshName("topk_indices");
        Shape s = x.shape().with(-1, kDim);
        List<Value> outs = List.of(new Value(values, x.dtype(), s), new Value(indices, DType.INT64, s));
        g.addNode(new Node("TopK", List.of(x.name(), k.name()), List.of(values, indices),
                Map.of("axis", -1L, "largest", 1L, "sorted", 1L)), outs);
        return outs;
    }

    /** Index of the largest value along an axis (the first one on ties), int64. */
    public Value argMax(Value x, int axis, boolean keepDims) {
        int a = x.shape().normalizeAxis(axis);
        List<Dim> dims = new ArrayList<>(x.shape().dims());
        if (keepDims) dims.set(a, Dim.of(1));
        else dims.remove(a);
        return o.op("ArgMax", DType.INT64, new Shape(dims), Map.of("axis", (long) a, "keepdims", keepDims ? 1L : 0L), x);
    }

    /** Running sum along an axis; exclusive: the sum of the elements strictly before. */
    public Value cumSum(Value x, int axis, boolean exclusive) {
        Value ax = o.scalar(DType.INT64, axis);
        return o.op("CumSum", x.dtype(), x.shape(), Map.of("exclusive", exclusive ? 1L : 0L), x, ax);
    }

    /** start, start + delta, ... below limit: scalars of one type, 1-D result of runtime length. */
    public Value range(Value start, Value limit, Value delta) {
        return o.op("Range", start.dtype(), new Shape(List.of(Dim.symbol(o.graph().freshName("range")))), Map.of(),
                start, limit, delta);
    }

    public Value reduceMin(Value x, long[] axes, boolean keepDims) {
        List<Dim> dims = new ArrayList<>();
        boolean[] reduced = new boolean[x.rank()];
        for (long a : axes) reduced[x.shape().normalizeAxis((int) a)] = true;
        for (int i = 0; i < x.rank(); i++) {
            if (!reduced[i]) dims.add(x.shape().dim(i));
            else if (keepDims) dims.add(Dim.of(1));
        }
        return o.op("ReduceMin", x.dtype(), new Shape(dims), Map.of("keepdims", keepDims ? 1L : 0L), x, o.ints(axes));
    }

    private Value compare(String opType, Value a, Value b) {
        if (a.dtype() != b.dtype()) {
            throw new IllegalArgumentException(opType + " needs one element type, got " + a + " and " + b);
        }
        return o.op(opType, DType.BOOL, Shape.broadcast(a.shape(), b.shape()), Map.of(), a, b);
    }

    public Value lessOrEqual(Value a, Value b) { return compare("LessOrEqual", a, b); }
    public Value greaterOrEqual(Value a, Value b) { return compare("GreaterOrEqual", a, b); }
    public Value or(Value a, Value b) { return compare("Or", a, b); }

    /** Whether any element along the axes is true (bool in, bool out). */
    public Value any(Value x, long[] axes, boolean keepDims) {
        Value max = o.reduceMax(o.cast(x, DType.INT64), axes, keepDims);
        return o.cast(max, DType.BOOL);
    }
}
