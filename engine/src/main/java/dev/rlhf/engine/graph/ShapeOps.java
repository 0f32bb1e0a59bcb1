package dev.rlhf.engine.graph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Operators that move, select or scatter elements without arithmetic, with shape inference. */
public abstract class ShapeOps extends OpEmitter {
    protected ShapeOps(GraphBuilder g) {
        super(g);
    }

    /** The runtime shape of x as a 1-D int64 tensor (works for symbolic dimensions). */
    public Value shapeOf(Value x) {
        return op("Shape", DType.INT64, Shape.of((long) x.rank()), Map.of(), x);
    }

    /** The runtime size of one axis as an int64 scalar (for symbolic dimensions). */
    public Value dimSize(Value x, int axis) {
        int a = x.shape().normalizeAxis(axis);
        return op("Gather", DType.INT64, Shape.scalar(), attrs("axis", 0L), shapeOf(x),
                constant(TensorData.scalar(DType.INT64, a)));
    }

    /** int64 [start, limit) with unit step, of runtime length: positions and key indices. */
    public Value range(Value start, Value limit) {
        return op("Range", DType.INT64, new Shape(List.of(Dim.symbol(g.freshName("range")))), Map.of(),
                start, limit, constant(TensorData.scalar(DType.INT64, 1)));
    }

    /** Reshape with ONNX semantics: 0 copies the input dimension, -1 is inferred. */
    public Value reshape(Value x, long... target) {
        List<Dim> dims = new ArrayList<>();
        int inferred = -1;
        for (int i = 0; i < target.length; i++) {
            if (target[i] == 0) dims.add(x.shape().dim(i));
            else if (target[i] == -1) { inferred = i; dims.add(null); }
            else dims.add(Dim.of(target[i]));
        }
        if (inferred >= 0) {
            dims.set(inferred, inferDim(x.shape(), dims, inferred));
        }
        return op("Reshape", x.dtype(), new Shape(dims), Map.of(), x, ints(target));
    }

    private Dim inferDim(Shape in, List<Dim> dims, int inferred) {
        boolean known = in.isStatic() && dims.stream().allMatch(d -> d == null || d.isStatic());
        if (!known) {
            return Dim.symbol(g.freshName("reshaped"));
        }
        long rest = dims.stream().filter(d -> d != null).mapToLong(Dim::size).reduce(1, (a, b) -> a * b);
        return Dim.of(in.elementCount() / rest);
    }

    /** Reshape to the runtime shape of another value (used by gradients to undo broadcasting). */
    public Value reshapeLike(Value x, Value like) {
        return op("Reshape", x.dtype(), like.shape(), Map.of(), x, shapeOf(like));
    }

    public Value transpose(Value x, long... perm) {
        List<Dim> dims = new ArrayList<>();
        for (long p : perm) dims.add(x.shape().dim((int) p));
        return op("Transpose", x.dtype(), new Shape(dims), attrs("perm", perm), x);
    }

    /** Swaps the last two axes, the transpose that batched MatMul gradients need. */
    public Value transposeLastTwo(Value x) {
        long[] perm = new long[x.rank()];
        for (int i = 0; i < perm.length; i++) perm[i] = i;
        perm[perm.length - 2] = perm.length - 1;
        perm[perm.length - 1] = perm.length - 2;
        return transpose(x, perm);
    }

    public Value concat(int axis, Value... parts) {
        int a = parts[0].shape().normalizeAxis(axis);
        for (Value p : parts) {
            Shape other = p.shape().with(a, parts[0].shape().dim(a));
            if (p.rank() != parts[0].rank() || !Shape.broadcast(other, parts[0].shape()).equals(parts[0].shape())) {
                throw new IllegalArgumentException("Concat on axis " + a + " needs matching shapes, got "
                        + parts[0] + " and " + p);
            }
        }
        boolean allStatic = Arrays.stream(parts).allMatch(p -> p.shape().dim(a).isStatic());
        Dim d = allStatic ? Dim.of(Arrays.stream(parts).mapToLong(p -> p.shape().dim(a).size()).sum())
                : Dim.symbol(g.freshName("concat"));
        return op("Concat", parts[0].dtype(), parts[0].shape().with(a, d), attrs("axis", (long) a), parts);
    }

    /** Slice with unit steps; the sliced axes must have static sizes. */
    public Value slice(Value x, long[] starts, long[] ends, long[] axes) {
        Shape s = x.shape();
        for (int i = 0; i < axes.length; i++) {
            long size = s.dim((int) axes[i]).size();
            long from = clampIndex(starts[i], size);
            long to = clampIndex(ends[i], size);
            s = s.with((int) axes[i], Dim.of(Math.max(0, to - from)));
        }
        return op("Slice", x.dtype(), s, Map.of(), x, ints(starts), ints(ends), ints(axes));
    }

    static long clampIndex(long index, long size) {
        long i = index < 0 ? index + size : index;
        return Math.max(0, Math.min(size, i));
    }

    public List<Value> split(Value x, int axis, long... sizes) {
        int a = x.shape().normalizeAxis(axis);
        List<String> names = new ArrayList<>();
        List<Value> outs = new ArrayList<>();
        for (long size : sizes) {
            String n = g.freshName("split");
            names.add(n);
            outs.add(new Value(n, x.dtype(), x.shape().with(a, Dim.of(size))));
        }
        Value splitSizes = ints(sizes);
        g.addNode(new Node("Split", List.of(x.name(), splitSizes.name()), names, attrs("axis", (long) a)), outs);
        return outs;
    }

    /** Broadcasts x to a static target shape. */
    public Value expand(Value x, long... target) {
        return op("Expand", x.dtype(), Shape.broadcast(x.shape(), Shape.of(target)), Map.of(), x, ints(target));
    }

    /** Broadcasts x to the runtime shape of another value. */
    public Value expandLike(Value x, Value like) {
        return op("Expand", x.dtype(), Shape.broadcast(x.shape(), like.shape()), Map.of(), x, shapeOf(like));
    }

    public Value unsqueeze(Value x, long... axes) {
        List<Dim> dims = new ArrayList<>(x.shape().dims());
        long[] sorted = axes.clone();
        int outRank = x.rank() + axes.length;
        for (int i = 0; i < sorted.length; i++) if (sorted[i] < 0) sorted[i] += outRank;
        Arrays.sort(sorted);
        for (long a : sorted) dims.add((int) a, Dim.of(1));
        return op("Unsqueeze", x.dtype(), new Shape(dims), Map.of(), x, ints(axes));
    }

    public Value squeeze(Value x, long... axes) {
        List<Dim> dims = new ArrayList<>();
        for (int i = 0; i < x.rank(); i++) {
            final int axis = i;
            boolean drop = Arrays.stream(axes).anyMatch(a -> x.shape().normalizeAxis((int) a) == axis);
            if (!drop) dims.add(x.shape().dim(i));
        }
        return op("Squeeze", x.dtype(), new Shape(dims), Map.of(), x, ints(axes));
    }

    /** Gather along an axis: embedding lookup is gather(table, tokenIds, 0). */
    public Value gather(Value data, Value indices, int axis) {
        int a = data.shape().normalizeAxis(axis);
        List<Dim> dims = new ArrayList<>(data.shape().dims().subList(0, a));
        dims.addAll(indices.shape().dims());
        dims.addAll(data.shape().dims().subList(a + 1, data.rank()));
        return op("Gather", data.dtype(), new Shape(dims), attrs("axis", (long) a), data, indices);
    }

    public Value gatherElements(Value data, Value indices, int axis) {
        int a = data.shape().normalizeAxis(axis);
        return op("GatherElements", data.dtype(), indices.shape(), attrs("axis", (long) a), data, indices);
    }

    /**
     * ScatterElements with reduction "add". Unlike ScatterND, ONNX Runtime accumulates repeated
     * indices correctly here with several threads, so gradients of lookups use it.
     */
    public Value scatterAdd(Value data, Value indices, Value updates, int axis) {
        int a = data.shape().normalizeAxis(axis);
        return op("ScatterElements", data.dtype(), data.shape(), attrs("axis", (long) a, "reduction", "add"),
                data, indices, updates);
    }

    /** Zero padding; pads lists all begin values then all end values, as ONNX does. */
    public Value pad(Value x, long[] pads) {
        List<Dim> dims = new ArrayList<>();
        for (int i = 0; i < x.rank(); i++) {
            Dim d = x.shape().dim(i);
            dims.add(d.isStatic() ? Dim.of(d.size() + pads[i] + pads[i + x.rank()]) : Dim.symbol(g.freshName("pad")));
        }
        return op("Pad", x.dtype(), new Shape(dims), Map.of(), x, ints(pads));
    }

    /** A tensor of the runtime shape of another value filled with one number. */
    public Value fillLike(Value like, double value) {
        return op("ConstantOfShape", like.dtype(), like.shape(),
                Map.of("value", TensorData.ofReals(like.dtype(), new long[] {1}, value)), shapeOf(like));
    }
}
