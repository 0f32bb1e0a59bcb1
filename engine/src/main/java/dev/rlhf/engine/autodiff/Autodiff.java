package dev.rlhf.engine.autodiff;

import dev.rlhf.engine.graph.CompositeGradient;
import dev.rlhf.engine.graph.Node;
import dev.rlhf.engine.graph.Ops;
import dev.rlhf.engine.graph.Value;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reverse-mode differentiation of a recorded graph. The backward pass is appended to the same
 * graph as ordinary ONNX nodes, so forward, backward and the optimizer update run as one call.
 */
public final class Autodiff {
    private final Map<String, GradientRule> rules;

    public Autodiff() {
        this.rules = GradientRules.all();
    }

    /**
     * Appends nodes computing d(loss)/d(p) for each p in {@code wrt}. The loss may be any shape; its
     * gradient is seeded with ones (a sum). A parameter the loss does not depend on gets zeros.
     */
    public Map<Value, Value> gradients(Ops ops, Value loss, List<Value> wrt) {
        List<Node> forward = new ArrayList<>(ops.graph().nodes());
        Set<String> active = activeValues(ops, forward, wrt);
        Map<String, Value> grads = new HashMap<>();
        grads.put(loss.name(), loss.rank() == 0 ? ops.scalar(loss.dtype(), 1.0) : ops.fillLike(loss, 1.0));

        for (int n = forward.size() - 1; n >= 0; n--) {
            Node node = forward.get(n);
            List<Value> outGrads = node.outputs().stream().map(grads::get).toList();
            if (outGrads.stream().allMatch(v -> v == null)) continue;
            var composite = node.outputs().size() == 1 ? ops.graph().compositeGradient(node.outputs().get(0))
                    : java.util.Optional.<CompositeGradient>empty();
            if (composite.isPresent()) {
                backwardComposite(ops, composite.get(), outGrads.get(0), active, grads);
                continue;
            }
            boolean[] needs = new boolean[node.inputs().size()];
            boolean any = false;
            for (int i = 0; i < needs.length; i++) {
                needs[i] = active.contains(node.inputs().get(i));
                any |= needs[i];
            }
            if (!any) continue;
            GradientRule rule = rules.get(node.opType());
            if (rule == null) {
                throw new UnsupportedOperationException("no gradient for operator " + node.opType()
                        + " (node " + node.outputs().get(0) + ")");
            }
            List<Value> ins = node.inputs().stream().map(s -> s.isEmpty() ? null : ops.graph().value(s)).toList();
            List<Value> outs = node.outputs().stream().map(ops.graph()::value).toList();
            List<Value> inGrads = rule.backward(new GradientContext(ops, node, ins, outs, outGrads, needs));
            for (int i = 0; i < needs.length; i++) {
                Value gi = i < inGrads.size() ? inGrads.get(i) : null;
                if (needs[i] && gi != null) {
                    grads.merge(node.inputs().get(i), gi, (earlier, later) -> accumulate(ops, earlier, later));
                }
            }
        }
        Map<Value, Value> result = new LinkedHashMap<>();
        for (Value p : wrt) {
            Value gp = grads.get(p.name());
            result.put(p, gp != null ? gp : ops.fillLike(p, 0.0));
        }
        return result;
    }

    /**
     * A composite's hand-derived backward pass replaces the rules of the nodes that compute it: those
     * nodes receive no gradient through the composite's output, so they are skipped.
     */
    private static void backwardComposite(Ops ops, CompositeGradient composite, Value outGrad, Set<String> active,
                                          Map<String, Value> grads) {
        List<Value> ins = composite.inputs();
        if (ins.stream().noneMatch(v -> active.contains(v.name()))) return;
        List<Value> inGrads = composite.backward().apply(ops, outGrad);
        for (int i = 0; i < ins.size(); i++) {
            Value gi = inGrads.get(i);
            if (gi != null && active.contains(ins.get(i).name())) {
                grads.merge(ins.get(i).name(), gi, (earlier, later) -> accumulate(ops, earlier, later));
            }
        }
    }

    /**
     * Sums two gradient contributions. When one is a scatter-add into zeros (an embedding lookup's
     * gradient), the other becomes the scatter's base instead: for GPT-2's tied embedding that
     * saves filling a (V, C) tensor with zeros and adding two (V, C) tensors every step. The
     * bypassed nodes are dropped at export, since no output depends on them.
     */
    private static Value accumulate(Ops ops, Value earlier, Value later) {
        var scatter = ops.graph().producer(later.name())
                .filter(n -> n.opType().equals("ScatterElements") && "add".equals(n.attributes().get("reduction")));
        if (scatter.isPresent() && later.shape().equals(earlier.shape())) {
            var base = ops.graph().producer(scatter.get().inputs().get(0));
            if (base.isPresent() && base.get().opType().equals("ConstantOfShape")
                    && ((dev.rlhf.engine.graph.TensorData) base.get().attributes().get("value")).scalarValue() == 0) {
                List<String> in = scatter.get().inputs();
                return ops.scatterAdd(earlier, ops.graph().value(in.get(1)), ops.graph().value(in.get(2)),
                        (int) scatter.get().intAttr("axis", 0));
            }
        }
        return ops.add(earlier, later);
    }

    /** Floating values that depend on some parameter: only these carry gradients. */
    private static Set<String> activeValues(Ops ops, List<Node> nodes, List<Value> wrt) {
        Set<String> active = new HashSet<>();
        wrt.forEach(v -> active.add(v.name()));
        for (Node node : nodes) {
            if (node.inputs().stream().anyMatch(active::contains)) {
                for (String out : node.outputs()) {
                    if (ops.graph().value(out).dtype().isFloating() && !ops.graph().isGradientStop(out)) active.add(out);
                }
            }
        }
        return active;
    }
}
