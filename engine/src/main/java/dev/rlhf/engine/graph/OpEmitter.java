package dev.rlhf.engine.graph;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Emits nodes into a {@link GraphBuilder}: the plumbing that every operator family shares. */
public abstract class OpEmitter {
    protected final GraphBuilder g;

    protected OpEmitter(GraphBuilder g) {
        this.g = g;
    }

    public GraphBuilder graph() {
        return g;
    }

    /** Emits one node with one output of the given type and shape. */
    public Value op(String opType, DType dtype, Shape shape, Map<String, Object> attrs, Value... inputs) {
        String out = g.freshName(opType.toLowerCase());
        List<String> ins = Arrays.stream(inputs).map(v -> v == null ? "" : v.name()).toList();
        Value v = new Value(out, dtype, shape);
        g.addNode(new Node(opType, ins, List.of(out), attrs), List.of(v));
        return v;
    }

    public Value constant(TensorData data) {
        return op("Constant", data.dtype(), Shape.of(data.dims()), Map.of("value", data));
    }

    public Value scalar(DType dtype, double value) {
        return constant(TensorData.scalar(dtype, value));
    }

    /** A 1-D int64 constant, the form ONNX wants for shapes, axes and split sizes. */
    public Value ints(long... values) {
        return constant(TensorData.ofLongs(new long[] {values.length}, values));
    }

    protected static Map<String, Object> attrs(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    protected static void sameType(String op, Value a, Value b) {
        if (a.dtype() != b.dtype()) {
            throw new IllegalArgumentException(op + " needs one element type, got " + a + " and " + b);
        }
    }

}
