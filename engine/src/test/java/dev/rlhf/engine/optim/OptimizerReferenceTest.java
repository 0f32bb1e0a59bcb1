package dev.rlhf.engine.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rlhf.engine.graph.DType;
import dev.rlhf.engine.graph.GraphBuilder;
import dev.rlhf.engine.graph.Ops;
import dev.rlhf.engine.graph.Shape;
import dev.rlhf.engine.graph.TensorData;
import dev.rlhf.engine.graph.Value;
import dev.rlhf.engine.runtime.CompiledGraph;
import dev.rlhf.engine.runtime.Engine;
import dev.rlhf.engine.runtime.RuntimeOptions;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Each in-graph optimizer against a plain-Java transcription of the PyTorch update, over several steps. */
class OptimizerReferenceTest {
    private static final Engine ENGINE = new Engine(RuntimeOptions.float64Checks());
    private static final long[] DIMS = {3, 4};
    private static final int STEPS = 5;

    /** Runs the optimizer graph for STEPS steps on random gradients; returns the final parameter. */
    private static double[] runGraph(Optimizer opt, ParamGroup group, double[] p0, double[][] grads,
                                     LearningRateSchedule schedule) {
        return runGraph(opt, group, p0, grads, schedule, 1.0);
    }

    /** @param gradScale fed as the optimizer's gradient scale (what clipping and averaging use) */
    private static double[] runGraph(Optimizer opt, ParamGroup group, double[] p0, double[][] grads,
                                     LearningRateSchedule schedule, double gradScale) {
        GraphBuilder g = new GraphBuilder("opt");
        Ops o = new Ops(g);
        Value p = g.input("p", DType.DOUBLE, Shape.of(DIMS));
        Value grad = g.input("g", DType.DOUBLE, Shape.of(DIMS));
        Value step = g.input("step", DType.DOUBLE, Shape.scalar());
        Value lr = g.input("lr", DType.DOUBLE, Shape.scalar());
        Value scale = g.input("scale", DType.DOUBLE, Shape.scalar());
        Map<String, Value> state = new LinkedHashMap<>();
        for (String s : opt.stateNames()) state.put(s, g.input(s, DType.DOUBLE, Shape.of(DIMS)));
        Map<String, Value> next = opt.update(o, p, grad, scale, state, step, lr, group);
        next.forEach((k, v) -> g.output(v, "new_" + k));

        Map<String, TensorData> current = new HashMap<>();
        current.put("p", TensorData.ofDoubles(DIMS, p0));
        for (String s : opt.stateNames()) current.put(s, TensorData.zeros(DType.DOUBLE, DIMS));
        try (CompiledGraph c = ENGINE.compile(g)) {
            for (int t = 1; t <= STEPS; t++) {
                Map<String, TensorData> feeds = new HashMap<>(current);
                feeds.put("g", TensorData.ofDoubles(DIMS, grads[t - 1]));
                feeds.put("step", TensorData.scalar(DType.DOUBLE, t));
                feeds.put("lr", TensorData.scalar(DType.DOUBLE, schedule.at(t)));
                feeds.put("scale", TensorData.scalar(DType.DOUBLE, gradScale));
                Map<String, TensorData> out = c.run(feeds);
                current.put("p", out.get("new_param"));
                for (String s : opt.stateNames()) current.put(s, out.get("new_" + s));
            }
        }
        return current.get("p").toDoubles();
    }

    private static double[][] randomGrads(Random rng, int n) {
        double[][] g = new double[STEPS][n];
        for (double[] row : g) for (int i = 0; i < n; i++) row[i] = rng.nextGaussian();
        return g;
    }

    @Test
    void adamWMatchesTheReferenceWithDecayAndGroupScale() {
        Random rng = new Random(7);
        double[] p0 = randomGrads(rng, 12)[0];
        double[][] grads = randomGrads(rng, 12);
        AdamW adam = new AdamW(0.9, 0.99, 1e-8);
        ParamGroup group = new ParamGroup(0.5, 0.1);
        LearningRateSchedule schedule = LearningRateSchedule.warmupLinear(0.01, 2, 5, 0.001);

        double[] p = p0.clone(), m = new double[12], v = new double[12];
        for (int t = 1; t <= STEPS; t++) {
            double lr = schedule.at(t) * group.lrScale();
            for (int i = 0; i < 12; i++) {
                double gi = grads[t - 1][i] * 0.6;
                p[i] -= lr * group.weightDecay() * p[i];
                m[i] = 0.9 * m[i] + 0.1 * gi;
                v[i] = 0.99 * v[i] + 0.01 * gi * gi;
                double mHat = m[i] / (1 - Math.pow(0.9, t)), vHat = v[i] / (1 - Math.pow(0.99, t));
                p[i] -= lr * mHat / (Math.sqrt(vHat) + 1e-8);
            }
        }
        assertArrayEquals(p, runGraph(adam, group, p0, grads, schedule, 0.6), 1e-12);
    }

    @Test
    void sgdMomentumMatchesTheReference() {
        Random rng = new Random(8);
        double[] p0 = randomGrads(rng, 12)[0];
        double[][] grads = randomGrads(rng, 12);
        ParamGroup group = new ParamGroup(2.0, 0.01);
        double[] p = p0.clone(), buf = new double[12];
        for (int t = 1; t <= STEPS; t++) {
            for (int i = 0; i < 12; i++) {
                double gi = grads[t - 1][i] * 0.3 + 0.01 * p[i];
                buf[i] = 0.9 * buf[i] + gi;
                p[i] -= 0.05 * 2.0 * buf[i];
            }
        }
        assertArrayEquals(p, runGraph(new SgdMomentum(0.9), group, p0, grads, LearningRateSchedule.constant(0.05), 0.3), 1e-12);
    }

    @Test
    void globalNormClippingScalesAllGradientsTogether() {
        GraphBuilder g = new GraphBuilder("clip");
        Ops o = new Ops(g);
        Value a = g.input("a", DType.DOUBLE, Shape.of(2));
        Value b = g.input("b", DType.DOUBLE, Shape.of(1, 2));
        Map<String, Value> clipped = GradientClipping.clip(o, Map.of("a", a, "b", b), 1.0);
        g.output(clipped.get("a"), "ca");
        g.output(clipped.get("b"), "cb");
        g.output(GradientClipping.globalNorm(o, java.util.List.of(a, b)), "norm");
        try (CompiledGraph c = ENGINE.compile(g)) {
            Map<String, TensorData> out = c.run(Map.of(
                    "a", TensorData.ofDoubles(new long[] {2}, 3, 0),
                    "b", TensorData.ofDoubles(new long[] {1, 2}, 0, 4)));
            assertEquals(5.0, out.get("norm").scalarValue(), 1e-12);
            double scale = 1.0 / (5.0 + 1e-6);
            assertArrayEquals(new double[] {3 * scale, 0}, out.get("ca").toDoubles(), 1e-12);
            assertArrayEquals(new double[] {0, 4 * scale}, out.get("cb").toDoubles(), 1e-12);
            // below the threshold nothing changes
            out = c.run(Map.of("a", TensorData.ofDoubles(new long[] {2}, 0.3, 0),
                    "b", TensorData.ofDoubles(new long[] {1, 2}, 0, 0.4)));
            assertArrayEquals(new double[] {0, 0.4}, out.get("cb").toDoubles(), 1e-15);
        }
    }

    @Test
    void schedulesFollowTheirDefinitions() {
        LearningRateSchedule cosine = LearningRateSchedule.warmupCosine(1.0, 10, 110, 0.1);
        assertEquals(0.1, cosine.at(1), 1e-12);
        assertEquals(1.0, cosine.at(10), 1e-12);
        assertEquals(0.55, cosine.at(60), 1e-12);    // half way: the cosine is at zero
        assertEquals(0.1, cosine.at(500), 1e-12);
        LearningRateSchedule linear = LearningRateSchedule.warmupLinear(1.0, 0, 100, 0.0);
        assertEquals(0.75, linear.at(25), 1e-12);
        // ULMFiT: T = 100, cut_frac = 0.1, ratio = 32: peak at t = cut, 1/ratio of peak at both ends
        LearningRateSchedule stlr = LearningRateSchedule.slantedTriangular(0.01, 100, 0.1, 32);
        assertEquals(0.01 / 32, stlr.at(1), 1e-15);
        assertEquals(0.01, stlr.at(11), 1e-15);
        assertEquals(0.01 * (1 + (1 - 89.0 / 90) * 31) / 32, stlr.at(100), 1e-15);
    }

    @Test
    void discriminativeRatesScaleEachGroup() {
        List<Double> seen = new java.util.ArrayList<>();
        Random rng = new Random(9);
        double[] p0 = new double[12];
        double[][] grads = randomGrads(rng, 12);
        for (double scale : new double[] {1.0, 1 / 2.6}) {
            double[] p = runGraph(new SgdMomentum(0.0), new ParamGroup(scale, 0), p0, grads, LearningRateSchedule.constant(0.1));
            seen.add(p[0]);
        }
        assertEquals(seen.get(0) / 2.6, seen.get(1), 1e-12);
    }

    @Test
    void discriminativeRatesDivideByTheFactorPerLayerDown() {
        var groups = DiscriminativeRates.forLayers(3, 2.6, 0.1);
        assertEquals(1.0, groups.apply("h.2.attn.c_attn.weight").lrScale(), 1e-15);
        assertEquals(1 / 2.6, groups.apply("h.1.mlp.c_fc.weight").lrScale(), 1e-15);
        assertEquals(1 / (2.6 * 2.6), groups.apply("h.0.ln_1.weight").lrScale(), 1e-15);
        assertEquals(1 / (2.6 * 2.6), groups.apply("wte.weight").lrScale(), 1e-15);
        assertEquals(1.0, groups.apply("ln_f.bias").lrScale(), 1e-15);
        assertEquals(0.1, groups.apply("h.1.mlp.c_fc.weight").weightDecay());
        assertEquals(0.0, groups.apply("h.1.mlp.c_fc.bias").weightDecay());
        assertEquals(0.0, groups.apply("h.0.ln_1.weight").weightDecay());
    }
}
