package dev.rlhf.engine.graph;

/** A named tensor in a graph under construction: a graph input, an initializer or a node output. */
public record Value(String name, DType dtype, Shape shape) {
    public int rank() {
        return shape.rank();
    }

    @Override
    public String toString() {
        return name + ":" + dtype + shape;
    }
}
