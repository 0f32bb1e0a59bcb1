package dev.rlhf.engine.autodiff;

import static dev.rlhf.engine.autodiff.Broadcasting.sumToShape;

import dev.rlhf.engine.graph.Dim;
import dev.rlhf.engine.graph.Ops;
import dev.rlhf.engine.graph.Value;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Backward rules of operators that move or select elements. */
final class ShapeGradients {
    private ShapeGradients() {
    }

    static void register(Map<String, GradientRule> r) {
        GradientRule undoReshape = c -> Arrays.asList(c.ops().reshapeLike(c.grad(), c.input(0)), null);
        r.put("Reshape", undoReshape);
        r.put("Squeeze", undoReshape);
        r.put("Unsqueeze", undoReshape);
        r.put("Transpose", ShapeGradients::transpose);
        r.put("Expand", c -> Arrays.asList(sumToShape(c.ops(), c.grad(), c.input(0)), null));
        r.put("Concat", ShapeGradients::concat);
        r.put("Split", ShapeGradients::split);
        r.put("Slice", ShapeGradients::slice);
        r.put("Gather", ShapeGradients::gather);
        r.put("GatherElements", c -> Arrays.asList(
                c.ops().scatterAdd(c.ops().fillLike(c.input(0), 0.0), c.input(1), c.grad(), (int) c.node().intAttr("axis", 0)),
                null));
    }

    /**
     * The inverse permutation. When the incoming gradient is itself a Transpose by the forward
     * permutation (as the MatMul rule emits for a tied, transposed weight), the two cancel and its
     * input is the answer: for GPT-2's tied head that saves materialising a (V, C) transpose per step.
     */
    private static List<Value> transpose(GradientContext c) {
        long[] perm = c.node().intsAttr("perm");
        long[] inverse = new long[perm.length];
        for (int i = 0; i < perm.length; i++) inverse[(int) perm[i]] = i;
        var producer = c.ops().graph().producer(c.grad().name());
        if (producer.isPresent() && producer.get().opType().equals("Transpose")
                && Arrays.equals(producer.get().intsAttr("perm"), perm)) {
            return List.of(c.ops().graph().value(producer.get().inputs().get(0)));
        }
        return List.of(c.ops().transpose(c.grad(), inverse));
    }

    private static List<Value> concat(GradientContext c) {
        Ops o = c.ops();
        int axis = (int) c.node().intAttr("axis", 0);
        List<Value> grads = new ArrayList<>();
        long offset = 0;
        for (Value in : c.inputs()) {
            Dim d = in.shape().dim(axis);
            if (!d.isStatic()) throw new UnsupportedOperationException("Concat gradient needs static sizes on axis " + axis);
            grads.add(o.slice(c.grad(), new long[] {offset}, new long[] {offset + d.size()}, new long[] {axis}));
            offset += d.size();
        }
        return grads;
    }

    private static List<Value> split(GradientContext c) {
        Ops o = c.ops();
        List<Value> parts = new ArrayList<>();
        for (int i = 0; i < c.outputs().size(); i++) {
            Value gi = c.outputGradients().get(i);
            parts.add(gi != null ? gi : o.fillLike(c.output(i), 0.0));
        }
        return Arrays.asList(o.concat((int) c.node().intAttr("axis", 0), parts.toArray(Value[]::new)), null);
    }

    /** The gradient of a unit-step slice is the output gradient zero-padded back to the input's extent. */
    private static List<Value> slice(GradientContext c) {
        Value x = c.input(0);
        long[] starts = c.constantInts(1), ends = c.constantInts(2);
        long[] axes = c.inputCount() > 3 ? c.constantInts(3) : null;
        if (c.inputCount() > 4 && Arrays.stream(c.constantInts(4)).anyMatch(s -> s != 1)) {
            throw new UnsupportedOperationException("Slice gradient supports unit steps only");
        }
        long[] pads = new long[2 * x.rank()];
        for (int i = 0; i < starts.length; i++) {
            int axis = x.shape().normalizeAxis(axes == null ? i : (int) axes[i]);
            long size = x.shape().dim(axis).size();
            long from = clamp(starts[i], size), to = Math.max(from, clamp(ends[i], size));
            pads[axis] = from;
            pads[axis + x.rank()] = size - to;
        }
        return List.of(c.ops().pad(c.grad(), pads));
    }

    private static long clamp(long index, long size) {
        long i = index < 0 ? index + size : index;
        return Math.max(0, Math.min(size, i));
    }

    /**
     * Gather of 1-D indices along a later axis (e.g. a permutation of the last axis): the output has
     * the data's rank, so ScatterElements adds each gradient slice back at its index, repeats included.
     */
    private static Value gatherAlongAxis(Ops o, Value data, Value indices, Value g, int axis) {
        if (indices.rank() != 1) {
            throw new UnsupportedOperationException("Gather gradient on axis " + axis + " needs 1-D indices, got " + indices);
        }
        long[] indexShape = new long[data.rank()];
        Arrays.fill(indexShape, 1);
        indexShape[axis] = -1;
        Value index = o.expandLike(o.reshape(indices, indexShape), g);        // the output's shape
        return o.scatterAdd(o.fillLike(data, 0.0), index, g, axis);
    }

    /**
     * Embedding lookup backward: scatter-add each looked-up row's gradient into a zero table.
     * ScatterElements (not ScatterND, which drops repeated indices with 2+ threads) over indices
     * expanded to the row width.
     */
    private static List<Value> gather(GradientContext c) {
        Ops o = c.ops();
        Value data = c.input(0), indices = c.input(1), g = c.grad();
        int axis = data.shape().normalizeAxis((int) c.node().intAttr("axis", 0));
        if (axis != 0) return Arrays.asList(gatherAlongAxis(o, data, indices, g, axis), null);
        List<Dim> row = data.shape().dims().subList(1, data.rank());
        long[] flatShape = new long[data.rank()];
        long[] indexShape = new long[data.rank()];
        flatShape[0] = -1;
        indexShape[0] = -1;
        for (int i = 0; i < row.size(); i++) {
            flatShape[i + 1] = row.get(i).size();
            indexShape[i + 1] = 1;
        }
        Value rows = o.reshape(g, flatShape);                                 // (N, C...)
        Value rowIndex = o.expandLike(o.reshape(indices, indexShape), rows);  // (N, C...)
        return Arrays.asList(o.scatterAdd(o.fillLike(data, 0.0), rowIndex, rows, 0), null);
    }
}
