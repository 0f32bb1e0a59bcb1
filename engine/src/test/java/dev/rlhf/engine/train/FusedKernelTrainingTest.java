package dev.rlhf.engine.train;

import static dev.rlhf.engine.runtime.KernelFusionTest.assumeKernelsBuilt;
import static dev.rlhf.engine.runtime.KernelFusionTest.fusedNodes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlhf.engine.graph.DType;
import dev.rlhf.engine.graph.GraphBuilder;
import dev.rlhf.engine.graph.Ops;
import dev.rlhf.engine.graph.Shape;
import dev.rlhf.engine.graph.TensorData;
import dev.rlhf.engine.graph.Value;
import dev.rlhf.engine.optim.AdamW;
import dev.rlhf.engine.optim.LearningRateSchedule;
import dev.rlhf.engine.optim.ParamGroup;
import dev.rlhf.engine.runtime.Engine;
import dev.rlhf.engine.runtime.RuntimeOptions;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Training steps with librlhf_ops' kernels against the same steps on standard operators. */
class FusedKernelTrainingTest {
    private static final RuntimeOptions FUSED = RuntimeOptions.defaults().withThreads(2);
    private static final RuntimeOptions NODES = FUSED.withFusedKernels(false);

    /**
     * AdamWStep does the nodes' float32 operations in their order, so the parameters and moments after
     * clipped steps with and without decay are the same bits. 30,000 weights span several of the kernel's
     * parallel chunks.
     */
    @Test
    void adamWKernelUpdatesExactlyLikeTheNodes() {
        assumeKernelsBuilt();
        int features = 30_000;
        Random rng = new Random(3);
        Parameters init = new Parameters();
        init.add("w", Parameters.normal(rng, DType.FLOAT, 0.1, features, 1));
        // a bias per row, so that no broadcast gradient (a SumRows kernel) enters the comparison
        init.add("b", Parameters.normal(rng, DType.FLOAT, 0.5, 4, 1));
        Map<String, TensorData> batch = Map.of("x", Parameters.normal(rng, DType.FLOAT, 1.0, 4, features),
                "y", Parameters.normal(rng, DType.FLOAT, 1.0, 4, 1));
        Map<String, TensorData> fused = train(FUSED, init, batch, features, Map.of("AdamWStep", 2L));
        Map<String, TensorData> nodes = train(NODES, init, batch, features, Map.of());
        for (String name : nodes.keySet()) {
            assertArrayEquals(nodes.get(name).toFloats(), fused.get(name).toFloats(), 0f, name);
        }
    }

    private static Map<String, TensorData> train(RuntimeOptions options, Parameters init, Map<String, TensorData> batch,
                                                 int features, Map<String, Long> expectedKernels) {
        Parameters params = new Parameters();
        init.names().forEach(n -> params.add(n, init.get(n)));
        GraphBuilder g = new GraphBuilder("least_squares");
        Ops o = new Ops(g);
        Value x = g.input("x", DType.FLOAT, Shape.of(4, features));
        Value y = g.input("y", DType.FLOAT, Shape.of(4, 1));
        Value err = o.sub(o.add(o.matMul(x, params.bind(g, "w")), params.bind(g, "b")), y);
        TrainingGraph.append(o, o.meanAll(o.mul(err, err)), params, AdamW.defaults(),
                n -> n.equals("w") ? ParamGroup.of(0.1) : ParamGroup.of(0), 0.5);
        Engine engine = new Engine(options);
        assertEquals(expectedKernels, fusedNodes(engine.lowered(g, Set.of())));
        try (TrainingSession s = new TrainingSession(engine, g, params, AdamW.defaults().stateNames(),
                LearningRateSchedule.constant(0.01))) {
            for (int step = 0; step < 5; step++) s.step(batch);
            return s.state();
        }
    }

    /**
     * The two-layer GPT (attention, GELU and LayerNorms in both blocks, AdamW on every parameter): its losses with the kernels follow the
     * standard operators' to float32 rounding (the kernels' GELU sigmoid is not ONNX Runtime's to the last bit).
     */
    @Test
    void gptTrainsWithTheKernelsAsWithTheNodes() {
        assumeKernelsBuilt();
        double[] fused = losses(FUSED), nodes = losses(NODES);
        for (int i = 0; i < nodes.length; i++) {
            assertEquals(nodes[i], fused[i], 1e-5 * Math.abs(nodes[i]), "loss at step " + (i + 1));
        }
        assertTrue(fused[fused.length - 1] < fused[0] * 0.8, "the loss falls");
    }

    private static double[] losses(RuntimeOptions options) {
        Engine engine = new Engine(options);
        if (options.fusedKernels()) {
            Parameters params = TinyLanguageModel.parameters(7);
            Map<String, Long> kernels = fusedNodes(engine.lowered(TinyLanguageModel.graph(params), Set.of()));
            assertEquals(2L, kernels.get("GeluTanh"), "one GELU per block");
            assertEquals(2L, kernels.get("GeluTanhGrad"));
            assertEquals(5L, kernels.get("LayerNormGrad"), "two LayerNorms per block and the final one");
            assertEquals(2L, kernels.get("CausalAttention"), "one attention per block");
            assertEquals(2L, kernels.get("CausalAttentionGrad"));
            assertEquals((long) params.trainableNames().size(), kernels.get("AdamWStep"), "one update per parameter");
        }
        try (TrainingSession s = TinyLanguageModel.session(engine, TinyLanguageModel.parameters(7))) {
            double[] losses = new double[8];
            for (int i = 0; i < losses.length; i++) losses[i] = s.step(TinyLanguageModel.batch(0));
            return losses;
        }
    }
}
