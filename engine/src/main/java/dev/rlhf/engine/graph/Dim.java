package dev.rlhf.engine.graph;

/**
 * One dimension of a shape: a known size, or a named symbol such as {@code "batch"}.
 * Symbols are never assumed to be 1, so a symbolic dimension is never treated as broadcast.
 */
public record Dim(long size, String symbol) {
    public Dim {
        if (symbol == null && size < 0) {
            throw new IllegalArgumentException("dimension size must be >= 0, got " + size);
        }
    }

    public static Dim of(long size) {
        return new Dim(size, null);
    }

    public static Dim symbol(String name) {
        return new Dim(-1, name);
    }

    public boolean isStatic() {
        return symbol == null;
    }

    public boolean isOne() {
        return isStatic() && size == 1;
    }

    @Override
    public String toString() {
        return isStatic() ? Long.toString(size) : symbol;
    }
}
