package dev.rlhf.engine.graph;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * ONNX {@code If}: two subgraphs without inputs that read the enclosing graph's values, only one
 * of which runs. Generation uses it to skip work a setting turns off (sorting for top-p, sampling
 * when decoding greedily).
 */
public final class Branches {
    private Branches() {
    }

    /**
     * @param condition bool scalar (or one-element tensor)
     * @param whenTrue  emits the then-branch into the given operators and returns its outputs
     * @param whenFalse the same for the else-branch: as many outputs, same types and ranks
     */
    public static List<Value> ifElse(Ops o, Value condition, Function<Ops, List<Value>> whenTrue,
                                     Function<Ops, List<Value>> whenFalse) {
        GraphBuilder g = o.graph();
        GraphBuilder thenGraph = g.subgraph(g.freshName("then"));
        GraphBuilder elseGraph = g.subgraph(g.freshName("else"));
        List<Value> a = whenTrue.apply(new Ops(thenGraph));
        List<Value> b = whenFalse.apply(new Ops(elseGraph));
        if (a.size() != b.size()) {
            throw new IllegalArgumentException("If branches return " + a.size() + " and " + b.size() + " values");
        }
        List<Value> outs = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            Value x = a.get(i), y = b.get(i);
            if (x.dtype() != y.dtype() || x.rank() != y.rank()) {
                throw new IllegalArgumentException("If branch output " + i + " is " + x + " in one branch and " + y + " in the other");
            }
            thenGraph.outputByRenaming(x, thenGraph.freshName(thenGraph.name() + "_out"));
            elseGraph.outputByRenaming(y, elseGraph.freshName(elseGraph.name() + "_out"));
            List<Dim> dims = new ArrayList<>();
            for (int d = 0; d < x.rank(); d++) {
                Dim dx = x.shape().dim(d), dy = y.shape().dim(d);
                dims.add(dx.equals(dy) ? dx : Dim.symbol(g.freshName("branch_dim")));
            }
            outs.add(new Value(g.freshName("if"), x.dtype(), new Shape(dims)));
        }
        g.addNode(new Node("If", List.of(condition.name()), outs.stream().map(Value::name).toList(),
                Map.of("then_branch", thenGraph, "else_branch", elseGraph)), outs);
        return outs;
    }
}
