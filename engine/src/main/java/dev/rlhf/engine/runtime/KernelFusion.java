package dev.rlhf.engine.runtime;

import dev.rlhf.engine.graph.DType;
import dev.rlhf.engine.graph.Dim;
import dev.rlhf.engine.graph.FusedKernel;
import dev.rlhf.engine.graph.GraphBuilder;
import dev.rlhf.engine.graph.Shape;
import dev.rlhf.engine.onnx.Onnx.GraphProto;
import dev.rlhf.engine.onnx.Onnx.ModelProto;
import dev.rlhf.engine.onnx.Onnx.NodeProto;
import dev.rlhf.engine.onnx.Onnx.OperatorSetIdProto;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * Swaps the graph's {@link FusedKernel}s in for the nodes they replace: each kernel becomes one node of
 * the {@value #DOMAIN} domain (librlhf_ops, see {@link FusedKernels}) computing the kernel's outputs,
 * the nodes that computed them go, and so does every node that nothing reads any more. Only float32
 * kernels with the operand shapes the library's kernels take are swapped; anything else keeps its nodes.
 */
final class KernelFusion {
    static final String DOMAIN = "dev.rlhf";

    private KernelFusion() {
    }

    static ModelProto apply(ModelProto model, GraphBuilder graph) {
        GraphProto.Builder gp = model.getGraph().toBuilder();
        Map<String, Integer> producerIndex = new HashMap<>();
        for (int i = 0; i < gp.getNodeCount(); i++) {
            for (String out : gp.getNode(i).getOutputList()) producerIndex.put(out, i);
        }
        Set<Integer> replaced = new HashSet<>();
        List<NodeProto> kernels = new ArrayList<>();
        // Latest first: a kernel recorded after others may contain them (LayerNormGrad's dscale and dbias are
        // SumRows kernels of their own), and then the larger one wins.
        List<FusedKernel> latestFirst = new ArrayList<>(graph.fusedKernels());
        java.util.Collections.reverse(latestFirst);
        for (FusedKernel kernel : latestFirst) {
            if (!swappable(kernel, graph, gp, producerIndex, replaced)) continue;
            kernel.outputs().forEach(out -> replaced.add(producerIndex.get(out)));
            kernels.add(NodeProto.newBuilder().setOpType(kernel.opType()).setDomain(DOMAIN)
                    .setName("fused_" + kernel.opType() + "_" + kernels.size())
                    .addAllInput(kernel.inputs()).addAllOutput(kernel.outputs()).build());
        }
        if (kernels.isEmpty()) return model;
        List<NodeProto> nodes = new ArrayList<>();
        for (int i = 0; i < gp.getNodeCount(); i++) {
            if (!replaced.contains(i)) nodes.add(gp.getNode(i));
        }
        nodes.addAll(kernels);
        gp.clearNode().addAllNode(inTopologicalOrder(UnreadNodes.without(nodes, gp)));
        ModelProto.Builder m = model.toBuilder().setGraph(gp);
        if (m.getOpsetImportList().stream().noneMatch(o -> o.getDomain().equals(DOMAIN))) {
            m.addOpsetImport(OperatorSetIdProto.newBuilder().setDomain(DOMAIN).setVersion(1));
        }
        return m.build();
    }

    /** Whether the kernel's operands are float32 of the shapes its library kernel expects, and each output has a node of its own. */
    private static boolean swappable(FusedKernel kernel, GraphBuilder graph, GraphProto.Builder gp,
                                     Map<String, Integer> producerIndex, Set<Integer> replaced) {
        List<Shape> in = new ArrayList<>(), out = new ArrayList<>();
        for (String name : kernel.inputs()) {
            if (graph.value(name).dtype() != DType.FLOAT) return false;
            in.add(graph.value(name).shape());
        }
        for (String name : kernel.outputs()) {
            Integer index = producerIndex.get(name);
            if (index == null || replaced.contains(index) || gp.getNode(index).getOutputCount() != 1
                    || graph.value(name).dtype() != DType.FLOAT) {
                return false;
            }
            out.add(graph.value(name).shape());
        }
        return switch (kernel.opType()) {
            // (param, grad, m, v, 7 scalar factors) -> (param', m', v'), all of param's shape
            case "AdamWStep" -> in.size() == 11 && in.subList(0, 4).stream().allMatch(in.get(0)::equals)
                    && in.subList(4, 11).stream().allMatch(KernelFusion::isScalar)
                    && out.size() == 3 && out.stream().allMatch(in.get(0)::equals);
            case "GeluTanh" -> in.size() == 1 && out.equals(List.of(in.get(0)));
            case "GeluTanhGrad" -> in.size() == 2 && in.get(1).equals(in.get(0)) && out.equals(List.of(in.get(0)));
            // (dy, x, scale, mean, rstd) -> (dx, dscale, dbias) over x's last axis
            case "LayerNormGrad" -> in.size() == 5 && in.get(0).equals(in.get(1)) && in.get(1).rank() >= 1
                    && in.get(2).equals(lastAxis(in.get(1)))
                    && in.get(3).equals(in.get(1).with(in.get(1).rank() - 1, Dim.of(1))) && in.get(4).equals(in.get(3))
                    && out.equals(List.of(in.get(1), in.get(2), in.get(2)));
            // (x) -> x summed over all axes but the last
            case "SumRows" -> in.size() == 1 && in.get(0).rank() >= 2
                    && out.equals(List.of(lastAxis(in.get(0))));
            // (qkv (B, T, 3, H, D), mask) -> (out (B, T, H, D), probs (B, H, T, T))
            case "CausalAttention" -> in.size() == 2 && attentionOperands(in.get(0), in.get(1))
                    && out.size() == 2 && alike(out.get(0), attentionOutput(in.get(0)))
                    && alike(out.get(1), attentionProbs(in.get(0)));
            // (dout, qkv, probs, mask) -> dqkv
            case "CausalAttentionGrad" -> in.size() == 4 && attentionOperands(in.get(1), in.get(3))
                    && alike(in.get(0), attentionOutput(in.get(1))) && alike(in.get(2), attentionProbs(in.get(1)))
                    && out.size() == 1 && alike(out.get(0), in.get(1));
            // (q (B, T, K, G, D), k, v (B, T, K, D), mask) -> (out (B, T, K, G, D), probs (B, K, G, T, T))
            case "GroupedAttention" -> in.size() == 4 && groupedOperands(in.get(0), in.get(1), in.get(2), in.get(3))
                    && out.size() == 2 && alike(out.get(0), in.get(0)) && alike(out.get(1), groupedProbs(in.get(0)));
            // (dout, q, k, v, probs, mask) -> (dq, dk, dv)
            case "GroupedAttentionGrad" -> in.size() == 6 && groupedOperands(in.get(1), in.get(2), in.get(3), in.get(5))
                    && alike(in.get(0), in.get(1)) && alike(in.get(4), groupedProbs(in.get(1)))
                    && out.size() == 3 && alike(out.get(0), in.get(1)) && alike(out.get(1), in.get(2))
                    && alike(out.get(2), in.get(3));
            // (gu (B, T, 2, I)) -> h (B, T, I)
            case "SwiGlu" -> in.size() == 1 && packedGateUp(in.get(0)) && out.size() == 1 && alike(out.get(0), gated(in.get(0)));
            // (dh, gu) -> dgu
            case "SwiGluGrad" -> in.size() == 2 && packedGateUp(in.get(1)) && alike(in.get(0), gated(in.get(1)))
                    && out.size() == 1 && alike(out.get(0), in.get(1));
            default -> false;
        };
    }

    private static boolean packedGateUp(Shape gu) {
        return gu.rank() == 4 && gu.dim(2).equals(Dim.of(2));
    }

    private static Shape gated(Shape gu) {
        return new Shape(List.of(gu.dim(0), gu.dim(1), gu.dim(3)));
    }

    /** q (B, T, K, G, D) with K, G and D known and D a multiple of 16, k and v (B, T, K, D), and a mask as for packed ones. */
    private static boolean groupedOperands(Shape q, Shape k, Shape v, Shape mask) {
        if (q.rank() != 5 || !q.dim(2).isStatic() || !q.dim(3).isStatic() || !q.dim(4).isStatic() || q.dim(4).size() % 16 != 0) {
            return false;
        }
        Shape keys = new Shape(List.of(q.dim(0), q.dim(1), q.dim(2), q.dim(4)));
        return alike(k, keys) && alike(v, keys) && attentionMask(mask, q.dim(0), q.dim(1));
    }

    private static Shape groupedProbs(Shape q) {
        return new Shape(List.of(q.dim(0), q.dim(2), q.dim(3), q.dim(1), q.dim(1)));
    }

    /**
     * Packed projections (B, T, 3, H, D) with H and D known and D a multiple of 16 (the kernel's vectors), and a
     * (T, T) mask or one per sequence (B, 1, T, T).
     */
    private static boolean attentionOperands(Shape qkv, Shape mask) {
        boolean packed = qkv.rank() == 5 && qkv.dim(2).equals(Dim.of(3)) && qkv.dim(3).isStatic() && qkv.dim(4).isStatic()
                && qkv.dim(4).size() % 16 == 0;
        return packed && attentionMask(mask, qkv.dim(0), qkv.dim(1));
    }

    /** An additive mask (T, T) for the batch, or (B, 1, T, T) one per sequence. */
    private static boolean attentionMask(Shape mask, Dim batch, Dim tokens) {
        return alike(mask, new Shape(List.of(tokens, tokens))) || alike(mask, new Shape(List.of(batch, Dim.of(1), tokens, tokens)));
    }

    /**
     * Whether two shapes can be the same at run time as far as the builders' shapes tell: the same rank, and on each
     * axis the same size or two symbols. A mask built with Range carries a symbol of its own for the sequence axis,
     * and the shapes it meets inherit it, so equal axes can have different symbols; the attention kernels check
     * the sizes they get.
     */
    private static boolean alike(Shape a, Shape b) {
        if (a.rank() != b.rank()) return false;
        for (int i = 0; i < a.rank(); i++) {
            Dim x = a.dim(i), y = b.dim(i);
            if (!x.equals(y) && (x.isStatic() || y.isStatic())) return false;
        }
        return true;
    }

    private static Shape attentionOutput(Shape qkv) {
        return new Shape(List.of(qkv.dim(0), qkv.dim(1), qkv.dim(3), qkv.dim(4)));
    }

    private static Shape attentionProbs(Shape qkv) {
        return new Shape(List.of(qkv.dim(0), qkv.dim(3), qkv.dim(1), qkv.dim(1)));
    }

    /** The shape of a tensor's last axis alone: a LayerNorm's scale, a bias. */
    private static Shape lastAxis(Shape shape) {
        return new Shape(List.of(shape.dim(shape.rank() - 1)));
    }

    private static boolean isScalar(Shape shape) {
        return shape.isStatic() && shape.elementCount() == 1;
    }

    /**
     * The nodes in an order where each comes after the producers of its inputs, otherwise in their order:
     * a kernel's node goes where its last operand is ready. Names no node produces (graph inputs,
     * initializers) are ready from the start.
     */
    private static List<NodeProto> inTopologicalOrder(List<NodeProto> nodes) {
        Map<String, Integer> producer = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            for (String out : nodes.get(i).getOutputList()) producer.put(out, i);
        }
        int[] waiting = new int[nodes.size()];
        Map<Integer, List<Integer>> readers = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            Set<String> reads = new HashSet<>();
            UnreadNodes.collectReads(nodes.get(i), reads);
            for (String in : reads) {
                Integer p = producer.get(in);
                if (p != null && p != i) {
                    waiting[i]++;
                    readers.computeIfAbsent(p, k -> new ArrayList<>()).add(i);
                }
            }
        }
        PriorityQueue<Integer> ready = new PriorityQueue<>();
        for (int i = 0; i < nodes.size(); i++) if (waiting[i] == 0) ready.add(i);
        List<NodeProto> ordered = new ArrayList<>(nodes.size());
        while (!ready.isEmpty()) {
            int i = ready.poll();
            ordered.add(nodes.get(i));
            for (int r : readers.getOrDefault(i, List.of())) if (--waiting[r] == 0) ready.add(r);
        }
        if (ordered.size() != nodes.size()) {
            throw new IllegalStateException("fused kernels made the graph cyclic");
        }
        return ordered;
    }
}
