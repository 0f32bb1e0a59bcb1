package dev.rlhf.engine.graph;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds an ONNX {@code Loop}. The body is a subgraph that reads the enclosing graph's values
 * (weights, constants) by name; it receives the iteration number, the running condition and the
 * loop-carried values, and returns the next condition, the next carried values and per-iteration
 * scan outputs, which the Loop stacks along a new leading axis.
 *
 * <pre>
 * Loop loop = new Loop(outer, "decode");
 * Value x = loop.carry(x0);                        // body input
 * ... loop.body() emits nodes ...
 * List&lt;Value&gt; out = loop.end(maxTrips, keepGoing, List.of(xNext), List.of(perStep));
 * </pre>
 */
public final class Loop {
    private final Ops outer;
    private final GraphBuilder body;
    private final Ops ops;
    private final Value iteration;
    private final Value conditionIn;
    private final List<Value> initial = new ArrayList<>();
    private final List<Value> carriedIn = new ArrayList<>();

    public Loop(Ops outer, String name) {
        this.outer = outer;
        this.body = outer.graph().subgraph(name);
        this.ops = new Ops(body);
        this.iteration = body.input(body.freshName(name + "_iteration"), DType.INT64, Shape.scalar());
        this.conditionIn = body.input(body.freshName(name + "_condition"), DType.BOOL, Shape.scalar());
    }

    /** Operators that emit into the body. */
    public Ops body() {
        return ops;
    }

    /** The iteration number, int64 scalar counting from 0. */
    public Value iteration() {
        return iteration;
    }

    /** A loop-carried value starting at {@code start}, whose shape may change between iterations as {@code shapeInBody} says. */
    public Value carry(Value start, Shape shapeInBody) {
        if (!outer.graph().has(start.name())) {
            throw new IllegalArgumentException("initial value " + start + " is not a value of the enclosing graph");
        }
        initial.add(start);
        Value in = body.input(body.freshName(start.name() + "_carried"), start.dtype(), shapeInBody);
        carriedIn.add(in);
        return in;
    }

    public Value carry(Value start) {
        return carry(start, start.shape());
    }

    /**
     * Closes the body and emits the Loop node.
     *
     * @param maxTrips   int64 scalar, or null for no limit
     * @param keepGoing  the body's bool scalar: false ends the loop after this iteration (null: always true)
     * @param carriedOut one per {@link #carry} call, in order
     * @param scans      per-iteration values, stacked by the Loop into (iterations, ...)
     * @return the final carried values, then the stacked scan outputs
     */
    public List<Value> end(Value maxTrips, Value keepGoing, List<Value> carriedOut, List<Value> scans) {
        if (carriedOut.size() != carriedIn.size()) {
            throw new IllegalArgumentException("loop " + body.name() + " carries " + carriedIn.size()
                    + " values but the body returns " + carriedOut.size());
        }
        for (int i = 0; i < carriedOut.size(); i++) {
            Value in = carriedIn.get(i), out = carriedOut.get(i);
            if (in.dtype() != out.dtype() || in.rank() != out.rank()) {
                throw new IllegalArgumentException("carried value " + i + " enters the body as " + in + " but leaves as " + out);
            }
        }
        Value cond = body.output(keepGoing != null ? keepGoing : ops.constant(TensorData.ofBools(new long[0], true)),
                body.freshName(body.name() + "_continue"));
        List<Value> finals = new ArrayList<>();
        Map<String, Value> renamed = new java.util.HashMap<>();
        for (int i = 0; i < carriedOut.size(); i++) {
            Value out = carriedOut.get(i);
            bodyOutput(out, body.freshName(carriedIn.get(i).name() + "_next"), renamed);
            finals.add(new Value(outer.graph().freshName(body.name() + "_final"), out.dtype(), carriedIn.get(i).shape()));
        }
        for (Value s : scans) {
            bodyOutput(s, body.freshName(body.name() + "_scan"), renamed);
            List<Dim> dims = new ArrayList<>();
            dims.add(Dim.symbol(outer.graph().freshName(body.name() + "_iterations")));
            dims.addAll(s.shape().dims());
            finals.add(new Value(outer.graph().freshName(body.name() + "_scanned"), s.dtype(), new Shape(dims)));
        }
        List<String> ins = new ArrayList<>();
        ins.add(maxTrips == null ? "" : maxTrips.name());
        ins.add("");
        initial.forEach(v -> ins.add(v.name()));
        outer.graph().addNode(new Node("Loop", ins, finals.stream().map(Value::name).toList(), Map.of("body", body)), finals);
        return finals;
    }

    /** Renames a node output in place (no copy per iteration); a value returned twice is copied the second time. */
    private void bodyOutput(Value v, String outputName, Map<String, Value> renamed) {
        Value earlier = renamed.get(v.name());
        if (earlier != null) {
            body.output(earlier, outputName);
        } else {
            renamed.put(v.name(), body.outputByRenaming(v, outputName));
        }
    }
}
