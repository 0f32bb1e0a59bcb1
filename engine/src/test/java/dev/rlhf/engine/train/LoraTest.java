package dev.rlhf.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlhf.engine.autodiff.Autodiff;
import dev.rlhf.engine.graph.DType;
import dev.rlhf.engine.graph.GraphBuilder;
import dev.rlhf.engine.graph.Ops;
import dev.rlhf.engine.graph.Shape;
import dev.rlhf.engine.graph.TensorData;
import dev.rlhf.engine.graph.Value;
import dev.rlhf.engine.model.Gpt;
import dev.rlhf.engine.model.GptConfig;
import dev.rlhf.engine.runtime.CompiledGraph;
import dev.rlhf.engine.runtime.Engine;
import dev.rlhf.engine.runtime.FrozenWeights;
import dev.rlhf.engine.runtime.RuntimeOptions;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LoraTest {
    private static final Engine F32 = new Engine(RuntimeOptions.defaults().withThreads(2).withDeterministic(true));
    private static final Engine F64 = new Engine(RuntimeOptions.float64Checks());
    private static final GptConfig SMALL64 = new GptConfig(7, 4, 2, 8, 2, DType.DOUBLE);
    private static final TensorData TOKENS = TensorData.ofLongs(new long[] {2, 4}, 1, 5, 2, 2, 6, 0, 3, 4);

    @Test
    void onlyAdaptersTrainAndTheBaseStaysFixed() {
        Parameters params = TinyLanguageModel.parameters(11);
        Lora.attach(params, new LoraConfig(4, 8, 0.1, LoraConfig.attentionWeights()), new Random(1));
        Map<String, TensorData> before = new HashMap<>(params.asMap());
        try (TrainingSession s = TinyLanguageModel.session(F32, params)) {
            double first = s.step(TinyLanguageModel.batch(0)), last = first;
            for (int i = 1; i < 25; i++) last = s.step(TinyLanguageModel.batch(i % 2));
            assertTrue(last < first, "loss " + first + " -> " + last);
            s.syncParameters();
        }
        assertEquals(8, params.trainableNames().size());   // A and B on 2 matrices in each of 2 blocks
        for (String name : params.names()) {
            boolean moved = !java.util.Arrays.equals(before.get(name).toDoubles(), params.get(name).toDoubles());
            assertEquals(name.contains(".lora_"), moved, name);
        }
    }

    private static double[] logits(Parameters p) {
        GraphBuilder g = new GraphBuilder("logits");
        Ops o = new Ops(g);
        g.output(Gpt.logits(o, p, SMALL64, g.input("tokens", DType.INT64, Shape.of(2, 4))), "logits");
        Map<String, TensorData> feeds = new HashMap<>();
        feeds.put("tokens", TOKENS);
        for (Value in : g.inputs()) if (!in.name().equals("tokens")) feeds.put(in.name(), p.get(in.name()));
        try (CompiledGraph c = F64.compile(g)) {
            return c.run(feeds).get("logits").toDoubles();
        }
    }

    @Test
    void mergingFoldsTheAdaptersIntoTheSameFunction() {
        Parameters p = Gpt.init(SMALL64, new Random(5));
        Lora.attach(p, new LoraConfig(2, 4, 0.2, LoraConfig.attentionWeights()), new Random(6));
        Random rng = new Random(7);
        for (String n : p.trainableNames()) {   // as if trained: B no longer zero
            p.set(n, Parameters.normal(rng, DType.DOUBLE, 0.3, p.get(n).dims()));
        }
        p.training(false);
        double[] adapted = logits(p);
        double[] base = logits(without(p));
        Lora.merge(p);
        assertFalse(p.names().stream().anyMatch(n -> n.contains("lora")));
        assertArrayEquals(adapted, logits(p), 1e-10);
        assertTrue(maxDiff(adapted, base) > 1e-3, "the adapters must matter for this test to mean anything");
    }

    private static Parameters without(Parameters p) {
        Parameters plain = new Parameters();
        p.names().stream().filter(n -> !n.contains("lora")).forEach(n -> plain.add(n, p.get(n)));
        return plain;
    }

    private static double maxDiff(double[] a, double[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
        return d;
    }

    @Test
    void adapterGradientsMatchFiniteDifferences() {
        Parameters p = Gpt.init(SMALL64, new Random(8));
        Lora.attach(p, new LoraConfig(2, 4, 0.0, LoraConfig.attentionWeights()), new Random(9));
        Random rng = new Random(10);
        for (String n : p.trainableNames()) p.set(n, Parameters.normal(rng, DType.DOUBLE, 0.3, p.get(n).dims()));
        GraphBuilder g = new GraphBuilder("lora_grad");
        Ops o = new Ops(g);
        Value logits = Gpt.logits(o, p, SMALL64, g.input("tokens", DType.INT64, Shape.of(2, 4)));
        Value w = o.constant(Parameters.normal(new Random(11), DType.DOUBLE, 1.0, 2, 4, 7));
        Value loss = o.sumAll(o.mul(logits, w));
        g.output(loss, "loss");
        new Autodiff().gradients(o, loss, p.trainableNames().stream().map(g::value).toList())
                .forEach((param, grad) -> g.output(grad, "grad." + param.name()));
        Map<String, TensorData> feeds = new HashMap<>();
        feeds.put("tokens", TOKENS);
        p.trainableNames().forEach(n -> feeds.put(n, p.get(n)));
        double diff = 0, scale = 0;
        try (CompiledGraph c = F64.compile(g)) {
            Map<String, TensorData> out = c.run(feeds);
            for (String n : p.trainableNames()) {
                double[] grad = out.get("grad." + n).toDoubles(), base = p.get(n).toDoubles();
                for (int k = 0; k < 3; k++) {
                    int i = rng.nextInt(base.length);
                    double[] up = base.clone(), down = base.clone();
                    up[i] += 1e-6;
                    down[i] -= 1e-6;
                    Map<String, TensorData> f = new HashMap<>(feeds);
                    f.put(n, TensorData.ofDoubles(p.get(n).dims(), up));
                    double lossUp = c.run(f).get("loss").scalarValue();
                    f.put(n, TensorData.ofDoubles(p.get(n).dims(), down));
                    double numeric = (lossUp - c.run(f).get("loss").scalarValue()) / 2e-6;
                    diff = Math.max(diff, Math.abs(numeric - grad[i]));
                    scale = Math.max(scale, Math.abs(numeric));
                }
            }
        }
        assertTrue(scale > 1e-3 && diff / scale <= 1e-6, "relative error " + diff / scale);
    }

    @Test
    void twoSessionsShareOneNativeCopyOfTheFrozenBase() {
        double[] embedded = new double[6], shared = new double[6], second = new double[6];
        Parameters a = TinyLanguageModel.parameters(12);
        Lora.attach(a, new LoraConfig(2, 4, 0.0, LoraConfig.attentionWeights()), new Random(2));
        try (TrainingSession s = TinyLanguageModel.session(F32, a)) {
            for (int i = 0; i < 6; i++) embedded[i] = s.step(TinyLanguageModel.batch(i % 2));
        }
        Parameters b = TinyLanguageModel.parameters(12);
        Lora.attach(b, new LoraConfig(2, 4, 0.0, LoraConfig.attentionWeights()), new Random(2));
        Parameters c = TinyLanguageModel.parameters(12);
        Lora.attach(c, new LoraConfig(2, 4, 0.0, LoraConfig.attentionWeights()), new Random(2));
        Map<String, TensorData> base = new HashMap<>();
        b.names().stream().filter(b::isFrozen).forEach(n -> base.put(n, b.get(n)));
        try (FrozenWeights frozen = new FrozenWeights(F32, base);
             TrainingSession s1 = TinyLanguageModel.session(F32, b, frozen);
             TrainingSession s2 = TinyLanguageModel.session(F32, c, frozen)) {
            for (int i = 0; i < 6; i++) {
                shared[i] = s1.step(TinyLanguageModel.batch(i % 2));
                second[i] = s2.step(TinyLanguageModel.batch(i % 2));
            }
        }
        assertArrayEquals(embedded, shared, 0.0);
        assertArrayEquals(embedded, second, 0.0);
    }
}
