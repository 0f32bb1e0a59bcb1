package dev.rlhf.engine.graph;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Records a graph: inputs, initializers, nodes in topological order (each node only reads
 * values that already exist), and outputs. Operators with shape inference live in {@link Ops};
 * this class is the bookkeeping they share with autodiff and the exporter.
 */
public final class GraphBuilder {
    private final String name;
    private final List<Value> inputs = new ArrayList<>();
    private final Map<String, TensorData> initializers = new LinkedHashMap<>();
    private final List<Node> nodes = new ArrayList<>();
    private final List<Value> outputs = new ArrayList<>();
    private final Map<String, Value> values = new HashMap<>();
    private final Map<String, Integer> nameCounters = new HashMap<>();
    private final Map<String, Node> producers = new HashMap<>();
    private final java.util.Set<String> gradientStops = new java.util.HashSet<>();

    public GraphBuilder(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    public Value input(String name, DType dtype, Shape shape) {
        Value v = register(new Value(name, dtype, shape));
        inputs.add(v);
        return v;
    }

    /** A named tensor stored in the model: a weight, or any constant too large for an attribute. */
    public Value initializer(String name, TensorData data) {
        Value v = register(new Value(name, data.dtype(), Shape.of(data.dims())));
        initializers.put(name, data);
        return v;
    }

    /** Marks a value as a graph output under the given name (an Identity node renames it if needed). */
    public Value output(Value value, String outputName) {
        Value out = value;
        if (!value.name().equals(outputName) || isInputOrInitializer(value.name())) {
            out = new Value(outputName, value.dtype(), value.shape());
            addNode(new Node("Identity", List.of(value.name()), List.of(outputName), Map.of()), List.of(out));
        }
        outputs.add(out);
        return out;
    }

    /**
     * Like {@link #output}, but a node output that is not yet a graph output is renamed in place
     * instead of copied, so the old handle must not be used afterwards. Training graphs use this
     * for their final tensors: an Identity per parameter would copy every weight and optimizer
     * state once more per step.
     */
    public Value outputByRenaming(Value value, String outputName) {
        boolean renamable = producers.containsKey(value.name()) && !value.name().equals(outputName)
                && outputs.stream().noneMatch(o -> o.name().equals(value.name()));
        if (!renamable) return output(value, outputName);
        Value out = rename(value, outputName);
        outputs.add(out);
        return out;
    }

    private Value rename(Value value, String newName) {
        String old = value.name();
        Value renamed = register(new Value(newName, value.dtype(), value.shape()));
        values.remove(old);
        for (int i = 0; i < nodes.size(); i++) {
            Node n = nodes.get(i);
            if (!n.inputs().contains(old) && !n.outputs().contains(old)) continue;
            Node replaced = new Node(n.opType(),
                    n.inputs().stream().map(s -> s.equals(old) ? newName : s).toList(),
                    n.outputs().stream().map(s -> s.equals(old) ? newName : s).toList(), n.attributes());
            nodes.set(i, replaced);
            replaced.outputs().forEach(o -> producers.put(o, replaced));
        }
        producers.remove(old);
        return renamed;
    }

    /** Adds a node whose output types and shapes were inferred by the caller. */
    public List<Value> addNode(Node node, List<Value> outs) {
        for (String in : node.inputs()) {
            if (!in.isEmpty() && !values.containsKey(in)) {
                throw new IllegalArgumentException(node.opType() + " reads unknown value '" + in + "'");
            }
        }
        for (Value v : outs) {
            register(v);
        }
        nodes.add(node);
        node.outputs().forEach(o -> producers.put(o, node));
        return outs;
    }

    /** A fresh value name derived from a hint, unique within this graph. */
    public String freshName(String hint) {
        int n = nameCounters.merge(hint, 1, Integer::sum);
        String candidate = hint + "_" + n;
        while (values.containsKey(candidate)) {
            n = nameCounters.merge(hint, 1, Integer::sum);
            candidate = hint + "_" + n;
        }
        return candidate;
    }

    private Value register(Value v) {
        if (values.putIfAbsent(v.name(), v) != null) {
            throw new IllegalArgumentException("value name '" + v.name() + "' is already used");
        }
        return v;
    }

    private boolean isInputOrInitializer(String n) {
        return initializers.containsKey(n) || inputs.stream().anyMatch(v -> v.name().equals(n));
    }

    /** Marks a value as a constant for autodiff: no gradient flows back through it. */
    public void stopGradient(String valueName) {
        value(valueName);
        gradientStops.add(valueName);
    }

    public boolean isGradientStop(String valueName) {
        return gradientStops.contains(valueName);
    }

    public boolean has(String valueName) {
        return values.containsKey(valueName);
    }

    public Value value(String valueName) {
        Value v = values.get(valueName);
        if (v == null) {
            throw new IllegalArgumentException("no value named '" + valueName + "' in graph " + name);
        }
        return v;
    }

    /** The node that computes a value, if a node does (not for inputs and initializers). */
    public java.util.Optional<Node> producer(String valueName) {
        return java.util.Optional.ofNullable(producers.get(valueName));
    }

    /** The value of a Constant node's output, for attributes-as-inputs such as Slice starts. */
    public TensorData constantValue(String valueName) {
        Node producer = producers.get(valueName);
        if (producer == null || !producer.opType().equals("Constant")) {
            throw new IllegalArgumentException("'" + valueName + "' is not the output of a Constant node");
        }
        return (TensorData) producer.attributes().get("value");
    }

    public List<Value> inputs() {
        return Collections.unmodifiableList(inputs);
    }

    public Map<String, TensorData> initializers() {
        return Collections.unmodifiableMap(initializers);
    }

    /** Moves an initializer out of the graph into a graph input (e.g. to make a weight trainable). */
    public TensorData removeInitializer(String initializerName) {
        return initializers.remove(initializerName);
    }

    public List<Node> nodes() {
        return Collections.unmodifiableList(nodes);
    }

    public List<Value> outputs() {
        return Collections.unmodifiableList(outputs);
    }
}
