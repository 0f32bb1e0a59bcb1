package dev.rlhf.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rlhf.engine.graph.DType;
import dev.rlhf.engine.graph.GraphBuilder;
import dev.rlhf.engine.graph.Ops;
import dev.rlhf.engine.graph.Shape;
import dev.rlhf.engine.graph.TensorData;
import dev.rlhf.engine.graph.Value;
import dev.rlhf.engine.loss.TokenCrossEntropy;
import dev.rlhf.engine.model.Gpt;
import dev.rlhf.engine.model.GptConfig;
import dev.rlhf.engine.optim.SgdMomentum;
import dev.rlhf.engine.optim.LearningRateSchedule;
import dev.rlhf.engine.optim.ParamGroup;
import dev.rlhf.engine.runtime.Engine;
import dev.rlhf.engine.runtime.RuntimeOptions;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Two micro-batches of 2 accumulated must train exactly like one batch of 4 (float64, equal token counts). */
class GradientAccumulationTest {
    private static final GptConfig CONFIG = new GptConfig(9, 4, 1, 8, 2, DType.DOUBLE);
    private static final Engine ENGINE = new Engine(RuntimeOptions.float64Checks());
    private static final LearningRateSchedule LR = LearningRateSchedule.constant(0.1);
    // SGD without clipping: unlike Adam or a clipped update, it would expose a sum taken for a mean
    private static final SgdMomentum SGD = new SgdMomentum(0.9);

    /** Four rows of four tokens for step s; every position counts. */
    private static Map<String, TensorData> batch(int s) {
        long[] tokens = new long[16], targets = new long[16];
        double[] mask = new double[16];
        for (int i = 0; i < 16; i++) {
            tokens[i] = (i * 5 + s * 7) % 9;
            targets[i] = (tokens[i] + 2 + i % 3) % 9;
            mask[i] = 1;
        }
        return Map.of("tokens", TensorData.ofLongs(new long[] {4, 4}, tokens),
                "targets", TensorData.ofLongs(new long[] {4, 4}, targets),
                "mask", TensorData.ofDoubles(new long[] {4, 4}, mask));
    }

    /** Rows [2 * half, 2 * half + 2) of a batch. */
    private static Map<String, TensorData> half(Map<String, TensorData> batch, int half) {
        Map<String, TensorData> out = new java.util.HashMap<>();
        batch.forEach((name, t) -> {
            double[] all = t.toDoubles();
            double[] part = java.util.Arrays.copyOfRange(all, half * 8, half * 8 + 8);
            out.put(name, t.dtype() == DType.INT64
                    ? TensorData.ofLongs(new long[] {2, 4}, java.util.Arrays.stream(part).mapToLong(d -> (long) d).toArray())
                    : TensorData.ofDoubles(new long[] {2, 4}, part));
        });
        return out;
    }

    private static Value loss(Ops o, Parameters p, long rows) {
        GraphBuilder g = o.graph();
        Value tokens = g.input("tokens", DType.INT64, Shape.of(rows, 4));
        Value targets = g.input("targets", DType.INT64, Shape.of(rows, 4));
        Value mask = g.input("mask", DType.DOUBLE, Shape.of(rows, 4));
        return TokenCrossEntropy.loss(o, Gpt.logits(o, p, CONFIG, tokens), targets, mask);
    }

    @Test
    void accumulatedMicroBatchesEqualOneLargeBatch() {
        Parameters fusedParams = Gpt.init(CONFIG, new Random(3));
        GraphBuilder fused = new GraphBuilder("fused");
        Ops fo = new Ops(fused);
        TrainingGraph.append(fo, loss(fo, fusedParams, 4), fusedParams, SGD, n -> ParamGroup.of(0.01), 0);

        Parameters accParams = Gpt.init(CONFIG, new Random(3));
        GraphBuilder micro = new GraphBuilder("micro");
        Ops mo = new Ops(micro);
        TrainingGraph.appendAccumulation(mo, loss(mo, accParams, 2), accParams);
        GraphBuilder update = TrainingGraph.updateGraph(accParams, DType.DOUBLE, SGD, n -> ParamGroup.of(0.01), 0, 2);

        try (TrainingSession one = new TrainingSession(ENGINE, fused, fusedParams, SGD.stateNames(), LR);
             AccumulatingTrainingSession two = new AccumulatingTrainingSession(ENGINE, micro, update, accParams,
                     SGD.stateNames(), LR, 2)) {
            for (int s = 0; s < 3; s++) {
                Map<String, TensorData> b = batch(s);
                double lossOne = one.step(b);
                double lossTwo = two.step(List.of(half(b, 0), half(b, 1)));
                assertEquals(lossOne, lossTwo, 1e-12);
            }
            Map<String, TensorData> a = one.state(), c = two.state();
            assertEquals(a.keySet(), c.keySet());
            for (String name : a.keySet()) {
                assertArrayEquals(a.get(name).toDoubles(), c.get(name).toDoubles(), 1e-10, name);
            }
        }
    }
}
