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
    private final Map<String, Integer> nameCounters;
    private final Map<String, Node> producers = new HashMap<>();
    private final java.util.Set<String> gradientStops = new java.util.HashSet<>();
    private final Map<String, CompositeGradient> compositeGradients = new HashMap<>();
    private final List<FusedKernel> fusedKernels = new ArrayList<>();
    /** The graph whose values this one may read (a Loop or If body's enclosing graph), or null. */
    private final GraphBuilder parent;
    /** Every name in this graph and its subgraphs: ONNX forbids a subgraph name shadowing an outer one. */
    private final java.util.Set<String> namespace;

    public GraphBuilder(String name) {
        this(name, null);
    }

    private GraphBuilder(String name, GraphBuilder parent) {
        this.name = name;
        this.parent = parent;
        this.namespace = parent == null ? new java.util.HashSet<>() : parent.namespace;
        this.nameCounters = parent == null ? new HashMap<>() : parent.nameCounters;
    }

    /**
     * A body graph for a control-flow node (Loop, If) of this graph. It reads this graph's values
     * (the model's weights, say) by name from the outer scope, and initializers created through it
     * are stored here in the outermost graph, so weights are never copied into a body.
     */
    public GraphBuilder subgraph(String subgraphName) {
        return new GraphBuilder(subgraphName, this);
    }

    /** The enclosing graph of a subgraph, or null for a model's main graph. */
    public GraphBuilder parent() {
        return parent;
    }

    /**
     * Values this graph (or a subgraph nested in it) reads from enclosing scopes: the implicit
     * inputs of the control-flow node that owns it.
     */
    public java.util.Set<String> outerReads() {
        java.util.Set<String> reads = new java.util.LinkedHashSet<>();
        for (Node n : ModelWriter.liveNodes(this)) {
            for (String in : n.inputs()) {
                if (!in.isEmpty() && !values.containsKey(in)) reads.add(in);
            }
            for (Object a : n.attributes().values()) {
                if (a instanceof GraphBuilder sub) {
                    sub.outerReads().stream().filter(r -> !values.containsKey(r)).forEach(reads::add);
                }
            }
        }
        outputs.stream().map(Value::name).filter(o -> !values.containsKey(o)).forEach(reads::add);
        return reads;
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
        if (parent != null) return parent.initializer(name, data);
        Value v = register(new Value(name, data.dtype(), Shape.of(data.dims())));
        initializers.put(name, data);
        return v;
    }

    /** Marks a value as a graph output under the given name (an Identity node renames it if needed). */
    public Value output(Value value, String outputName) {
        Value out = value;
        if (!value.name().equals(outputName) || !producers.containsKey(value.name())) {
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
        CompositeGradient composite = compositeGradients.remove(old);
        if (composite != null) compositeGradients.put(newName, composite);
        fusedKernels.replaceAll(k -> k.renamed(old, newName));
        return renamed;
    }

    /** Adds a node whose output types and shapes were inferred by the caller. */
    public List<Value> addNode(Node node, List<Value> outs) {
        for (String in : node.inputs()) {
            if (!in.isEmpty() && !has(in)) {
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
        while (namespace.contains(candidate)) {
            n = nameCounters.merge(hint, 1, Integer::sum);
            candidate = hint + "_" + n;
        }
        return candidate;
    }

    private Value register(Value v) {
        if (has(v.name()) || values.putIfAbsent(v.name(), v) != null) {
            throw new IllegalArgumentException("value name '" + v.name() + "' is already used");
        }
        namespace.add(v.name());
        return v;
    }

    /** Marks a value as a constant for autodiff: no gradient flows back through it. */
    public void stopGradient(String valueName) {
        value(valueName);
        gradientStops.add(valueName);
    }

    public boolean isGradientStop(String valueName) {
        return gradientStops.contains(valueName);
    }

    /** Autodiff differentiates {@code output} by {@code gradient} instead of through the nodes computing it. */
    public void compositeGradient(Value output, CompositeGradient gradient) {
        if (producers.get(output.name()) == null) {
            throw new IllegalArgumentException("'" + output.name() + "' is not computed by a node of graph " + name);
        }
        for (Value in : gradient.inputs()) value(in.name());
        compositeGradients.put(output.name(), gradient);
    }

    public java.util.Optional<CompositeGradient> compositeGradient(String valueName) {
        return java.util.Optional.ofNullable(compositeGradients.get(valueName));
    }

    /**
     * Records that the fused kernel {@code opType} computes {@code outputs} from {@code inputs}, as the
     * nodes already added between them do (see {@link FusedKernel}).
     */
    public void fusedKernel(String opType, List<Value> kernelInputs, List<Value> kernelOutputs) {
        for (Value in : kernelInputs) value(in.name());
        for (Value out : kernelOutputs) {
            if (producers.get(out.name()) == null) {
                throw new IllegalArgumentException("'" + out.name() + "' is not computed by a node of graph " + name);
            }
        }
        fusedKernels.add(new FusedKernel(opType, kernelInputs.stream().map(Value::name).toList(),
                kernelOutputs.stream().map(Value::name).toList()));
    }

    public List<FusedKernel> fusedKernels() {
        return Collections.unmodifiableList(fusedKernels);
    }

    /** Whether the value is visible here: defined in this graph or in an enclosing one. */
    public boolean has(String valueName) {
        return values.containsKey(valueName) || (parent != null && parent.has(valueName));
    }

    public Value value(String valueName) {
        Value v = values.get(valueName);
        if (v == null && parent != null && parent.has(valueName)) return parent.value(valueName);
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
