package dev.rlhf.engine.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlhf.engine.autodiff.Autodiff;
import dev.rlhf.engine.graph.DType;
import dev.rlhf.engine.graph.GraphBuilder;
import dev.rlhf.engine.graph.Ops;
import dev.rlhf.engine.graph.Shape;
import dev.rlhf.engine.graph.TensorData;
import dev.rlhf.engine.graph.Value;
import dev.rlhf.engine.loss.TokenCrossEntropy;
import dev.rlhf.engine.runtime.CompiledGraph;
import dev.rlhf.engine.runtime.Engine;
import dev.rlhf.engine.runtime.RuntimeOptions;
import dev.rlhf.engine.train.Parameters;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A whole two-layer GPT in float64: every parameter's gradient against central finite differences. */
class GptGradientTest {
    private static final double STEP = 1e-6;

    @Test
    void everyParameterGradientMatchesFiniteDifferences() {
        GptConfig config = new GptConfig(7, 4, 2, 4, 2, DType.DOUBLE);
        Random rng = new Random(42);
        Parameters params = Gpt.init(config, rng);
        // larger weights than GPT-2's init so that every path contributes visibly
        for (String n : params.names()) {
            if (n.endsWith("weight") && !n.contains("ln")) {
                params.set(n, Parameters.normal(rng, DType.DOUBLE, 0.5, params.get(n).dims()));
            }
        }
        GraphBuilder g = new GraphBuilder("gpt_gradients");
        Ops o = new Ops(g);
        Value tokens = g.input("tokens", DType.INT64, Shape.of(2, 3));
        Value targets = g.input("targets", DType.INT64, Shape.of(2, 3));
        Value mask = g.input("mask", DType.DOUBLE, Shape.of(2, 3));
        Value loss = TokenCrossEntropy.loss(o, Gpt.logits(o, params, config, tokens), targets, mask);
        g.output(loss, "loss");
        List<Value> wrt = params.names().stream().map(g::value).toList();
        new Autodiff().gradients(o, loss, wrt).forEach((p, gp) -> g.output(gp, "grad." + p.name()));

        Map<String, TensorData> feeds = new HashMap<>(params.asMap());
        feeds.put("tokens", TensorData.ofLongs(new long[] {2, 3}, 1, 4, 4, 0, 6, 2));
        feeds.put("targets", TensorData.ofLongs(new long[] {2, 3}, 4, 4, 5, 6, 2, 3));
        feeds.put("mask", TensorData.ofDoubles(new long[] {2, 3}, 1, 1, 0, 1, 1, 1));
        List<Double> analytic = new ArrayList<>(), numeric = new ArrayList<>();
        try (CompiledGraph c = new Engine(RuntimeOptions.float64Checks()).compile(g)) {
            Map<String, TensorData> out = c.run(feeds);
            for (String name : params.names()) {
                double[] grad = out.get("grad." + name).toDoubles();
                double[] base = params.get(name).toDoubles();
                for (int k = 0; k < 4; k++) {
                    int i = rng.nextInt(base.length);
                    analytic.add(grad[i]);
                    numeric.add((lossAt(c, feeds, name, base, i, STEP) - lossAt(c, feeds, name, base, i, -STEP)) / (2 * STEP));
                }
            }
        }
        double diff = 0, scale = 0;
        for (int i = 0; i < analytic.size(); i++) {
            diff = Math.max(diff, Math.abs(analytic.get(i) - numeric.get(i)));
            scale = Math.max(scale, Math.abs(numeric.get(i)));
        }
        assertTrue(scale > 1e-3, "gradients vanished: " + scale);
        assertTrue(diff / scale <= 1e-6, "relative error " + diff / scale);
    }

    private static double lossAt(CompiledGraph c, Map<String, TensorData> feeds, String name, double[] base, int i, double delta) {
        double[] moved = base.clone();
        moved[i] += delta;
        Map<String, TensorData> f = new HashMap<>(feeds);
        f.put(name, TensorData.ofDoubles(feeds.get(name).dims(), moved));
        return c.run(f).get("loss").scalarValue();
    }
}
