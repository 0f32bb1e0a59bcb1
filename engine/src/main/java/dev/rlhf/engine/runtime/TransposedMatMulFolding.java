package dev.rlhf.engine.runtime;

import dev.rlhf.engine.graph.DType;
import dev.rlhf.engine.graph.GraphBuilder;
import dev.rlhf.engine.onnx.Onnx.AttributeProto;
import dev.rlhf.engine.onnx.Onnx.GraphProto;
import dev.rlhf.engine.onnx.Onnx.ModelProto;
import dev.rlhf.engine.onnx.Onnx.NodeProto;
import dev.rlhf.engine.onnx.Onnx.OperatorSetIdProto;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Folds transposes into float32 matrix products before ONNX Runtime sees the graph: a MatMul
 * operand reached through a chain of Transposes whose combined permutation swaps the last two
 * axes (or is the identity) becomes an operand of ONNX Runtime's FusedMatMul with transA/transB
 * set (or a plain operand), and Transposes nobody reads any more are dropped.
 *
 * <p>ONNX Runtime fuses a single Transpose into MatMul itself, but it first merges chains of
 * Transposes, e.g. the per-head layout of attention keys (B, T, H, D) -> (B, H, T, D) followed by
 * the transpose of a gradient, into one Transpose that it can no longer fuse. The backward pass of
 * attention then materialised (B, H, D, T) copies of keys and values every step; folded here it
 * multiplies the per-head tensors that the forward pass already holds.
 * FusedMatMul is a float-only contrib kernel, so other element types are left alone.
 */
final class TransposedMatMulFolding {
    static final String CONTRIB_DOMAIN = "com.microsoft";

    private TransposedMatMulFolding() {
    }

    /** Where a MatMul operand comes from: {@code base}, swapped in its last two axes when {@code transposed}. */
    private record Operand(String base, boolean transposed) {
    }

    static ModelProto apply(ModelProto model, GraphBuilder graph) {
        GraphProto.Builder gp = model.getGraph().toBuilder();
        Map<String, NodeProto> transposes = new HashMap<>();
        for (NodeProto n : gp.getNodeList()) {
            if (n.getOpType().equals("Transpose") && n.getDomain().isEmpty()) transposes.put(n.getOutput(0), n);
        }
        boolean folded = false;
        for (int i = 0; i < gp.getNodeCount(); i++) {
            NodeProto n = gp.getNode(i);
            if (!n.getOpType().equals("MatMul") || !n.getDomain().isEmpty()
                    || graph.value(n.getOutput(0)).dtype() != DType.FLOAT) {
                continue;
            }
            Operand a = operand(n.getInput(0), graph, transposes);
            Operand b = operand(n.getInput(1), graph, transposes);
            if (a.base().equals(n.getInput(0)) && b.base().equals(n.getInput(1))) continue;
            if (!a.transposed() && !b.transposed()) {
                gp.setNode(i, n.toBuilder().setInput(0, a.base()).setInput(1, b.base()).build());
                folded = true;
                continue;
            }
            gp.setNode(i, NodeProto.newBuilder().setOpType("FusedMatMul").setDomain(CONTRIB_DOMAIN).setName(n.getName())
                    .addInput(a.base()).addInput(b.base()).addOutput(n.getOutput(0))
                    .addAttribute(intAttribute("transA", a.transposed() ? 1 : 0))
                    .addAttribute(intAttribute("transB", b.transposed() ? 1 : 0))
                    .addAttribute(AttributeProto.newBuilder().setName("alpha").setType(AttributeProto.AttributeType.FLOAT).setF(1f))
                    .build());
            folded = true;
        }
        if (!folded) return model;
        // the folded Transposes (nothing else: the exported graph has no unread nodes)
        List<NodeProto> kept = UnreadNodes.without(gp.getNodeList(), gp);
        gp.clearNode().addAllNode(kept);
        ModelProto.Builder m = model.toBuilder().setGraph(gp);
        if (m.getOpsetImportList().stream().noneMatch(o -> o.getDomain().equals(CONTRIB_DOMAIN))) {
            m.addOpsetImport(OperatorSetIdProto.newBuilder().setDomain(CONTRIB_DOMAIN).setVersion(1));
        }
        return m.build();
    }

    /**
     * Follows the Transposes that produce {@code value} and returns the deepest source from which
     * the value is that source itself or its last-two-axes transpose.
     */
    private static Operand operand(String value, GraphBuilder graph, Map<String, NodeProto> transposes) {
        int rank = graph.value(value).rank();
        int[] perm = new int[rank];   // value's axis i is axis perm[i] of the current source
        for (int i = 0; i < rank; i++) perm[i] = i;
        Operand best = new Operand(value, false);
        String source = value;
        NodeProto t;
        while (rank >= 2 && (t = transposes.get(source)) != null) {
            List<Long> p = t.getAttributeList().stream().filter(a -> a.getName().equals("perm"))
                    .findFirst().map(AttributeProto::getIntsList).orElse(null);
            if (p == null || p.size() != rank) break;
            for (int i = 0; i < rank; i++) perm[i] = p.get(perm[i]).intValue();
            source = t.getInput(0);
            if (isIdentity(perm, rank, false)) best = new Operand(source, false);
            else if (isIdentity(perm, rank, true)) best = new Operand(source, true);
        }
        return best;
    }

    /** Whether perm is the identity, or (when {@code swapLastTwo}) the identity with the last two axes swapped. */
    private static boolean isIdentity(int[] perm, int rank, boolean swapLastTwo) {
        for (int i = 0; i < rank - 2; i++) if (perm[i] != i) return false;
        return swapLastTwo ? perm[rank - 2] == rank - 1 && perm[rank - 1] == rank - 2
                : perm[rank - 2] == rank - 2 && perm[rank - 1] == rank - 1;
    }

    private static AttributeProto intAttribute(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }
}
