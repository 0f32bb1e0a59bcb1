package dev.rlhf.engine.graph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A tensor shape of known rank whose dimensions are static sizes or symbols. */
public record Shape(List<Dim> dims) {
    public Shape {
        dims = List.copyOf(dims);
    }

    public static Shape of(long... sizes) {
        return new Shape(Arrays.stream(sizes).mapToObj(Dim::of).toList());
    }

    public static Shape symbolic(Object... sizesOrSymbols) {
        List<Dim> dims = new ArrayList<>();
        for (Object d : sizesOrSymbols) {
            dims.add(d instanceof String s ? Dim.symbol(s) : Dim.of(((Number) d).longValue()));
        }
        return new Shape(dims);
    }

    public static Shape scalar() {
        return new Shape(List.of());
    }

    public int rank() {
        return dims.size();
    }

    public Dim dim(int axis) {
        return dims.get(normalizeAxis(axis));
    }

    public boolean isStatic() {
        return dims.stream().allMatch(Dim::isStatic);
    }

    /** The sizes of a fully static shape. */
    public long[] sizes() {
        if (!isStatic()) {
            throw new IllegalStateException("shape " + this + " has symbolic dimensions");
        }
        return dims.stream().mapToLong(Dim::size).toArray();
    }

    public long elementCount() {
        return Arrays.stream(sizes()).reduce(1, (a, b) -> a * b);
    }

    public int normalizeAxis(int axis) {
        int a = axis < 0 ? axis + rank() : axis;
        if (a < 0 || a >= Math.max(rank(), 1)) {
            throw new IllegalArgumentException("axis " + axis + " out of range for shape " + this);
        }
        return a;
    }

    public Shape with(int axis, Dim dim) {
        List<Dim> copy = new ArrayList<>(dims);
        copy.set(normalizeAxis(axis), dim);
        return new Shape(copy);
    }

    /** Numpy-style broadcasting, as ONNX's elementwise operators do it. */
    public static Shape broadcast(Shape a, Shape b) {
        int rank = Math.max(a.rank(), b.rank());
        List<Dim> out = new ArrayList<>();
        for (int i = 0; i < rank; i++) {
            Dim da = i - (rank - a.rank()) >= 0 ? a.dims.get(i - (rank - a.rank())) : Dim.of(1);
            Dim db = i - (rank - b.rank()) >= 0 ? b.dims.get(i - (rank - b.rank())) : Dim.of(1);
            out.add(broadcastDim(da, db, a, b));
        }
        return new Shape(out);
    }

    private static Dim broadcastDim(Dim da, Dim db, Shape a, Shape b) {
        if (da.isOne()) return db;
        if (db.isOne()) return da;
        if (da.isStatic() && db.isStatic() && da.size() != db.size()) {
            throw new IllegalArgumentException("shapes " + a + " and " + b + " do not broadcast");
        }
        return da.isStatic() ? da : db;
    }

    @Override
    public String toString() {
        return dims.toString();
    }
}
