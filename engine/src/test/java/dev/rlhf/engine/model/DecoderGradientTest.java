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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Tiny float64 Llama (grouped-query attention, rotary, untied head) and GPT-2: the LM loss of a
 * left-padded batch, every parameter's gradient against central finite differences.
 */
class DecoderGradientTest {
    private static final double STEP = 1e-6;

    static ModelConfig tinyConfig(String type) {
        String json = type.equals("llama")
                ? """
                  {"model_type": "llama", "vocab_size": 11, "hidden_size": 8, "intermediate_size": 12,
                   "num_hidden_layers": 2, "num_attention_heads": 4, "num_key_value_heads": 2,
                   "max_position_embeddings": 16, "rope_theta": 10000.0, "rms_norm_eps": 1e-5,
                   "tie_word_embeddings": false}"""
                : """
                  {"model_type": "gpt2", "vocab_size": 11, "n_embd": 8, "n_layer": 2, "n_head": 2,
                   "n_positions": 16, "n_inner": 12}""";
        return ModelConfig.parse(json, DType.DOUBLE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama", "gpt2"})
    void everyParameterGradientMatchesFiniteDifferences(String type) {
        Random rng = new Random(17);
        DecoderLm lm = DecoderLm.initialise(tinyConfig(type), rng, 0.5);
        for (String n : lm.parameters().names()) {   // norms away from one so their gradients matter too
            if (n.contains("norm") || n.contains("ln_")) {
                double[] v = lm.parameters().get(n).toDoubles();
                for (int i = 0; i < v.length; i++) v[i] += rng.nextGaussian() * 0.3;
                lm.parameters().set(n, TensorData.ofDoubles(lm.parameters().get(n).dims(), v));
            }
        }
        GraphBuilder g = new GraphBuilder("decoder_gradients");
        Ops o = new Ops(g);
        Value ids = g.input("ids", DType.INT64, Shape.symbolic("batch", "seq"));
        Value positions = g.input("positions", DType.INT64, Shape.symbolic("batch", "seq"));
        Value mask = g.input("mask", DType.INT64, Shape.symbolic("batch", "seq"));
        Value targets = g.input("targets", DType.INT64, Shape.symbolic("batch", "seq"));
        Value weights = g.input("weights", DType.DOUBLE, Shape.symbolic("batch", "seq"));
        Value loss = TokenCrossEntropy.loss(o, lm.forward(o, ids, positions, mask, List.of()).logits(), targets, weights);
        g.output(loss, "loss");
        List<Value> wrt = lm.parameters().names().stream().map(g::value).toList();
        new Autodiff().gradients(o, loss, wrt).forEach((p, gp) -> g.output(gp, "grad." + p.name()));

        Map<String, TensorData> feeds = new HashMap<>(lm.parameters().asMap());
        long[] dims = {2, 4};
        feeds.put("ids", TensorData.ofLongs(dims, 0, 3, 9, 4, 5, 1, 10, 2));
        feeds.put("positions", TensorData.ofLongs(dims, 1, 0, 1, 2, 0, 1, 2, 3));
        feeds.put("mask", TensorData.ofLongs(dims, 0, 1, 1, 1, 1, 1, 1, 1));
        feeds.put("targets", TensorData.ofLongs(dims, 3, 9, 4, 6, 1, 10, 2, 7));
        feeds.put("weights", TensorData.ofDoubles(dims, 0, 1, 1, 1, 1, 1, 1, 1));
        List<Double> analytic = new ArrayList<>(), numeric = new ArrayList<>();
        try (CompiledGraph c = new Engine(RuntimeOptions.float64Checks()).compile(g)) {
            Map<String, TensorData> out = c.run(feeds);
            for (String name : lm.parameters().names()) {
                double[] grad = out.get("grad." + name).toDoubles();
                double[] base = lm.parameters().get(name).toDoubles();
                for (int k = 0; k < 3; k++) {
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
        assertTrue(diff / scale <= 1e-6, type + " relative error " + diff / scale);
    }

    private static double lossAt(CompiledGraph c, Map<String, TensorData> feeds, String name, double[] base, int i, double delta) {
        double[] moved = base.clone();
        moved[i] += delta;
        Map<String, TensorData> f = new HashMap<>(feeds);
        f.put(name, TensorData.ofDoubles(feeds.get(name).dims(), moved));
        return c.run(f).get("loss").scalarValue();
    }
}
