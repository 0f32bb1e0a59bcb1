package dev.rlhf.engine.graph;

import java.util.List;
import java.util.Map;

/**
 * One operator application. Attribute values are Long, Double, String, long[], double[] or
 * {@link TensorData}, or a {@link GraphBuilder} (the body of a Loop or If); the exporter maps them
 * to ONNX attribute types.
 * An empty input name marks an omitted optional input, as in ONNX.
 */
public record Node(String opType, List<String> inputs, List<String> outputs, Map<String, Object> attributes) {
    public Node {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        attributes = Map.copyOf(attributes);
    }

    public long intAttr(String name, long fallback) {
        Object v = attributes.get(name);
        return v == null ? fallback : (Long) v;
    }

    public double floatAttr(String name, double fallback) {
        Object v = attributes.get(name);
        return v == null ? fallback : (Double) v;
    }

    public long[] intsAttr(String name) {
        return (long[]) attributes.get(name);
    }
}
