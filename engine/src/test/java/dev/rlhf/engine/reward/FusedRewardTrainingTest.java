package dev.rlhf.engine.reward;

import static dev.rlhf.engine.runtime.KernelFusionTest.assumeKernelsBuilt;
import static dev.rlhf.engine.runtime.KernelFusionTest.fusedNodes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.rlhf.engine.graph.DType;
import dev.rlhf.engine.model.DecoderLm;
import dev.rlhf.engine.model.RewardModel;
import dev.rlhf.engine.optim.AdamW;
import dev.rlhf.engine.optim.LearningRateSchedule;
import dev.rlhf.engine.optim.ParamGroup;
import dev.rlhf.engine.runtime.Engine;
import dev.rlhf.engine.runtime.RuntimeOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Reward-model training in float32 with librlhf_ops' kernels, on graphs whose batch and sequence axes are
 * symbolic: it compiles (the kernels' shape inference must leave unknown sizes unknown) and its losses follow
 * the same steps on standard operators. Both models' attention runs on the attention kernels, with
 * padded sequences of different lengths.
 */
class FusedRewardTrainingTest {
    private static final List<int[]> CHOSEN = List.of(new int[] {5, 9, 14, 3, 7}, new int[] {8, 2, 11});
    private static final List<int[]> REJECTED = List.of(new int[] {5, 9, 1, 6}, new int[] {8, 12, 4, 10, 13, 2});

    @ParameterizedTest
    @ValueSource(strings = {"gpt2", "llama"})
    void trainsWithTheKernelsAsWithTheNodes(String name) throws Exception {
        assumeKernelsBuilt();
        double[] fused = losses(name, true), nodes = losses(name, false);
        for (int i = 0; i < nodes.length; i++) {
            assertEquals(nodes[i], fused[i], 1e-4 * Math.abs(nodes[i]), name + " loss at step " + (i + 1));
        }
    }

    private static double[] losses(String name, boolean kernels) throws Exception {
        DecoderLm lm = DecoderLm.load(Path.of("src/test/resources/golden/models", name), DType.FLOAT);
        RewardModel rm = RewardModel.withNewHead(lm, new Random(11), 0.02);
        Engine engine = new Engine(RuntimeOptions.defaults().withThreads(2).withFusedKernels(kernels));
        if (kernels) {
            Map<String, Long> used = fusedNodes(engine.lowered(
                    RewardGraphs.training(rm, 2, AdamW.defaults(), n -> ParamGroup.of(0.01), 1.0, 0.01), Set.of()));
            assertEquals((long) lm.parameters().trainableNames().size(), used.get("AdamWStep"), "one update per parameter");
            assertFalse(used.keySet().equals(Set.of("AdamWStep")), "kernels beyond AdamW: " + used);
            // GPT-2's packed projections and Llama's grouped-query heads (4 query, 2 key heads), head size 16, a
            // padding mask per sequence
            String attention = name.equals("gpt2") ? "CausalAttention" : "GroupedAttention";
            assertEquals(2L, used.get(attention), "one attention per layer: " + used);
            assertEquals(2L, used.get(attention + "Grad"));
            if (name.equals("llama")) assertEquals(2L, used.get("SwiGluGrad"), "one gated MLP per layer");
        }
        try (BradleyTerryTraining training = new BradleyTerryTraining(engine, rm, 2, AdamW.defaults(),
                LearningRateSchedule.constant(1e-3), n -> ParamGroup.of(0.01), 1.0, 0.01, 0, null)) {
            double[] losses = new double[4];
            for (int i = 0; i < losses.length; i++) losses[i] = training.step(CHOSEN, REJECTED, new double[] {0, 1});
            return losses;
        }
    }
}
