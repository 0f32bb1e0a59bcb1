package dev.rlhf.engine.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlhf.engine.autodiff.Autodiff;
import dev.rlhf.engine.graph.DType;
import dev.rlhf.engine.graph.GraphBuilder;
import dev.rlhf.engine.graph.ModelWriter;
import dev.rlhf.engine.graph.Ops;
import dev.rlhf.engine.graph.Shape;
import dev.rlhf.engine.graph.TensorData;
import dev.rlhf.engine.graph.Value;
import dev.rlhf.engine.onnx.Onnx.ModelProto;
import dev.rlhf.engine.onnx.Onnx.NodeProto;
import dev.rlhf.engine.train.Parameters;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Attention-shaped products with their gradients, in float32: folded (FusedMatMul, ALL optimisation)
 * they must give what the same graph gives unfolded (BASIC optimisation, plain MatMul and Transpose),
 * and the folded model must multiply per-head tensors without the chained transposes.
 */
class TransposedMatMulFoldingTest {
    private static final long B = 2, H = 3, T = 5, D = 4;

    /** q, k, v (B, T, H, D) laid out per head, scores = q k^T, out = softmax(scores) v; loss and its gradients. */
    private static GraphBuilder attention() {
        GraphBuilder g = new GraphBuilder("attention");
        Ops o = new Ops(g);
        List<Value> in = List.of(g.input("q", DType.FLOAT, Shape.of(B, T, H, D)),
                g.input("k", DType.FLOAT, Shape.of(B, T, H, D)), g.input("v", DType.FLOAT, Shape.of(B, T, H, D)));
        Value q = o.transpose(in.get(0), 0, 2, 1, 3), k = o.transpose(in.get(1), 0, 2, 1, 3);
        Value v = o.transpose(in.get(2), 0, 2, 1, 3);
        Value weights = o.softmax(o.mul(o.matMul(q, o.transposeLastTwo(k)), 0.5), -1);
        Value out = o.transpose(o.matMul(weights, v), 0, 2, 1, 3);
        Value loss = o.sumAll(o.mul(out, out));
        g.output(loss, "loss");
        new Autodiff().gradients(o, loss, in).forEach((x, gx) -> g.output(gx, "grad." + x.name()));
        return g;
    }

    @Test
    void foldedGraphComputesWhatTheUnfoldedOneDoes() {
        Random rng = new Random(5);
        Map<String, TensorData> feeds = Map.of("q", Parameters.normal(rng, DType.FLOAT, 1.0, B, T, H, D),
                "k", Parameters.normal(rng, DType.FLOAT, 1.0, B, T, H, D), "v", Parameters.normal(rng, DType.FLOAT, 1.0, B, T, H, D));
        Map<String, TensorData> folded, plain;
        try (CompiledGraph c = new Engine(RuntimeOptions.defaults().withThreads(1)).compile(attention())) {
            folded = c.run(feeds);
        }
        RuntimeOptions basic = RuntimeOptions.defaults().withThreads(1).withOptimization(OptimizationLevel.BASIC);
        try (CompiledGraph c = new Engine(basic).compile(attention())) {
            plain = c.run(feeds);
        }
        for (String name : plain.keySet()) {
            double[] want = plain.get(name).toDoubles(), got = folded.get(name).toDoubles();
            double scale = 0, err = 0;
            for (int i = 0; i < want.length; i++) {
                scale = Math.max(scale, Math.abs(want[i]));
                err = Math.max(err, Math.abs(want[i] - got[i]));
            }
            assertTrue(err <= 1e-5 * Math.max(scale, 1e-3), name + ": max difference " + err + " at scale " + scale);
        }
    }

    @Test
    void backwardProductsReadThePerHeadTensorsInsteadOfTransposedCopies() {
        GraphBuilder g = attention();
        ModelProto before = ModelWriter.toProto(g, Map.of());
        ModelProto after = TransposedMatMulFolding.apply(before, g);
        long fused = after.getGraph().getNodeList().stream().filter(n -> n.getOpType().equals("FusedMatMul")).count();
        assertTrue(fused >= 4, "products with a transposed operand become FusedMatMul: " + fused);
        for (NodeProto n : after.getGraph().getNodeList()) {
            if (!n.getOpType().contains("MatMul")) continue;
            for (String operand : n.getInputList()) {
                NodeProto producer = after.getGraph().getNodeList().stream()
                        .filter(p -> p.getOutputList().contains(operand)).findFirst().orElse(null);
                if (producer == null || !producer.getOpType().equals("Transpose")) continue;
                // a product may read a per-head layout (0, 2, 1, 3) of an input, never a transpose of a transpose
                assertEquals(List.of(0L, 2L, 1L, 3L), producer.getAttribute(0).getIntsList(), n.getName() + " reads " + operand);
                assertTrue(after.getGraph().getNodeList().stream().noneMatch(p -> p.getOpType().equals("Transpose")
                        && p.getOutputList().contains(producer.getInput(0))), n.getName() + " reads a transpose of a transpose");
            }
        }
        assertTrue(after.getOpsetImportList().stream().anyMatch(o -> o.getDomain().equals("com.microsoft")));
    }
}
