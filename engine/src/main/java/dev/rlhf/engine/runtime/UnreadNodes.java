package dev.rlhf.engine.runtime;

import dev.rlhf.engine.onnx.Onnx.AttributeProto;
import dev.rlhf.engine.onnx.Onnx.GraphProto;
import dev.rlhf.engine.onnx.Onnx.NodeProto;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** What the rewrites of a model before ONNX Runtime sees it share: which names a node reads, and dropping the nodes nobody reads. */
final class UnreadNodes {
    private UnreadNodes() {
    }

    /**
     * The nodes without those whose outputs no other node (nor a control-flow body) and no graph output reads,
     * repeated until none is left: what a rewrite leaves behind when it reroutes the readers of some values.
     */
    static List<NodeProto> without(List<NodeProto> nodes, GraphProto.Builder graph) {
        List<NodeProto> kept = new ArrayList<>(nodes);
        boolean removed = true;
        while (removed) {
            Set<String> read = new HashSet<>();
            kept.forEach(n -> collectReads(n, read));
            graph.getOutputList().forEach(o -> read.add(o.getName()));
            removed = kept.removeIf(n -> n.getOutputList().stream().noneMatch(read::contains));
        }
        return kept;
    }

    /** Adds the names a node reads: its inputs, and what the nodes of its control-flow bodies read. */
    static void collectReads(NodeProto node, Set<String> read) {
        read.addAll(node.getInputList());
        for (AttributeProto a : node.getAttributeList()) {
            if (a.hasG()) a.getG().getNodeList().forEach(n -> collectReads(n, read));
            a.getGraphsList().forEach(g -> g.getNodeList().forEach(n -> collectReads(n, read)));
        }
    }
}
