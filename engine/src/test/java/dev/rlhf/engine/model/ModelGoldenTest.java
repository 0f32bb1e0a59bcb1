package dev.rlhf.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The builders against transformers on tiny random checkpoints (see make_model_golden.py):
 * logits of a left-padded batch, greedy tokens, cached decoding, LM-loss gradients, reward scores.
 * The graphs are float32 at full ONNX Runtime optimisation, as they run in production.
 */
class ModelGoldenTest {
    private static final Engine ENGINE = new Engine(RuntimeOptions.defaults().withThreads(2));
    private static final double TOLERANCE = 1e-4;

    @ParameterizedTest
    @ValueSource(strings = {"gpt2", "llama"})
    void logitsOfALeftPaddedBatchMatchTransformers(String name) throws Exception {
        Golden golden = Golden.of(name);
        DecoderLm lm = DecoderLm.load(golden.dir(), DType.FLOAT);
        try (LmRunner run = new LmRunner(ENGINE, lm)) {
            TensorData logits = run.prefill(golden.tensor("input_ids"), golden.tensor("position_ids"),
                    golden.tensor("attention_mask")).get("logits");
            long[][] mask = golden.rows("attention_mask");
            double err = Golden.relativeError(realPositions(logits.toDoubles(), mask, lm.shape().vocabSize()),
                    realPositions(flatten(golden.expected().get("logits")), mask, lm.shape().vocabSize()));
            assertTrue(err <= TOLERANCE, name + " logits relative error " + err);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"gpt2", "llama"})
    void greedyTokensMatchTransformersGenerate(String name) throws Exception {
        Golden golden = Golden.of(name);
        long[][] expected = golden.rows("greedy");
        try (LmRunner run = new LmRunner(ENGINE, DecoderLm.load(golden.dir(), DType.FLOAT))) {
            long[][] tokens = run.greedy(golden.rows("input_ids"), golden.rows("attention_mask"), expected[0].length);
            for (int r = 0; r < expected.length; r++) assertArrayEquals(expected[r], tokens[r], name + " row " + r);
        }
    }

    /** Prefill part of the batch, feed the rest one position at a time: each step's logits equal the full pass's. */
    @ParameterizedTest
    @ValueSource(strings = {"gpt2", "llama"})
    void cachedDecodingEqualsFullSequenceLogits(String name) throws Exception {
        Golden golden = Golden.of(name);
        DecoderLm lm = DecoderLm.load(golden.dir(), DType.FLOAT);
        long[][] ids = golden.rows("input_ids"), pos = golden.rows("position_ids"), mask = golden.rows("attention_mask");
        int t = ids[0].length, v = lm.shape().vocabSize(), prefix = 4;
        try (LmRunner run = new LmRunner(ENGINE, lm)) {
            double[] full = run.prefill(LmRunner.longs(ids), LmRunner.longs(pos), LmRunner.longs(mask)).get("logits").toDoubles();
            Map<String, TensorData> state = run.prefill(columns(ids, 0, prefix), columns(pos, 0, prefix), columns(mask, 0, prefix));
            for (int j = prefix; j < t; j++) {
                state = run.decode(columns(ids, j, j + 1), columns(pos, j, j + 1), columns(mask, 0, j + 1), state);
                assertEquals(j + 1, state.get("present.0.keys").dims()[2], "cache length");
                double[] step = state.get("logits").toDoubles();
                for (int r = 0; r < ids.length; r++) {
                    if (mask[r][j] == 0) continue;
                    double[] expected = java.util.Arrays.copyOfRange(full, (r * t + j) * v, (r * t + j + 1) * v);
                    double[] actual = java.util.Arrays.copyOfRange(step, r * v, (r + 1) * v);
                    double err = Golden.relativeError(actual, expected);
                    assertTrue(err <= 1e-5, name + " position " + j + " row " + r + ": relative error " + err);
                }
            }
        }
    }

    /** The LM loss (labels = inputs, shifted, padding ignored) and its gradients against PyTorch's. */
    @ParameterizedTest
    @ValueSource(strings = {"gpt2", "llama"})
    void lossGradientsMatchPyTorch(String name) throws Exception {
        Golden golden = Golden.of(name);
        DecoderLm lm = DecoderLm.load(golden.dir(), DType.FLOAT);
        GraphBuilder g = new GraphBuilder("lm_loss");
        Ops o = new Ops(g);
        Value ids = g.input("input_ids", DType.INT64, Shape.symbolic("batch", "seq"));
        Value positions = g.input("position_ids", DType.INT64, Shape.symbolic("batch", "seq"));
        Value mask = g.input("attention_mask", DType.INT64, Shape.symbolic("batch", "seq"));
        Value targets = g.input("targets", DType.INT64, Shape.symbolic("batch", "seq"));
        Value weights = g.input("target_mask", DType.FLOAT, Shape.symbolic("batch", "seq"));
        Value loss = TokenCrossEntropy.loss(o, lm.forward(o, ids, positions, mask, List.of()).logits(), targets, weights);
        g.output(loss, "loss");
        JsonNode expectedGrads = golden.expected().get("gradients");
        List<Value> wrt = new ArrayList<>();
        expectedGrads.fieldNames().forEachRemaining(p -> wrt.add(g.value(p)));
        new Autodiff().gradients(o, loss, wrt).forEach((p, gp) -> g.output(gp, "grad." + p.name()));

        long[][] in = golden.rows("input_ids"), m = golden.rows("attention_mask");
        int b = in.length, t = in[0].length;
        long[] next = new long[b * t];
        float[] nextMask = new float[b * t];
        for (int r = 0; r < b; r++) {
            for (int j = 0; j + 1 < t; j++) {   // position j predicts token j + 1, as transformers shifts labels
                next[r * t + j] = in[r][j + 1];
                nextMask[r * t + j] = m[r][j + 1];
            }
        }
        Map<String, TensorData> feeds = new HashMap<>(lm.parameters().asMap());
        feeds.put("input_ids", golden.tensor("input_ids"));
        feeds.put("position_ids", golden.tensor("position_ids"));
        feeds.put("attention_mask", golden.tensor("attention_mask"));
        feeds.put("targets", TensorData.ofLongs(new long[] {b, t}, next));
        feeds.put("target_mask", TensorData.ofFloats(new long[] {b, t}, nextMask));
        try (CompiledGraph c = ENGINE.compile(g)) {
            Map<String, TensorData> out = c.run(feeds);
            double expectedLoss = golden.expected().get("loss").asDouble();
            assertEquals(expectedLoss, out.get("loss").scalarValue(), TOLERANCE * Math.abs(expectedLoss), name + " loss");
            for (Iterator<Map.Entry<String, JsonNode>> it = expectedGrads.fields(); it.hasNext(); ) {
                var e = it.next();
                double[] grad = out.get("grad." + e.getKey()).toDoubles();
                JsonNode index = e.getValue().get("index");
                double[] actual = new double[index.size()];
                for (int i = 0; i < actual.length; i++) actual[i] = grad[index.get(i).asInt()];
                double err = Golden.relativeError(actual, Golden.doubles(e.getValue().get("values")));
                assertTrue(err <= TOLERANCE, name + " gradient of " + e.getKey() + ": relative error " + err);
            }
        }
    }

    /** The scalar head on the last real token, for left padding and for right padding. */
    @ParameterizedTest
    @ValueSource(strings = {"gpt2", "llama"})
    void rewardScoresMatchSequenceClassification(String name) throws Exception {
        Golden golden = Golden.of(name);
        DecoderLm lm = DecoderLm.load(golden.dir(), DType.FLOAT);
        JsonNode reward = golden.expected().get("reward");
        lm.parameters().add(RewardModel.SCORE, TensorData.ofReals(DType.FLOAT,
                new long[] {1, lm.shape().hiddenSize()}, Golden.doubles(reward.get("score_weight"))));
        RewardModel rm = new RewardModel(lm);
        lm.parameters().freeze(n -> true);
        GraphBuilder g = new GraphBuilder("reward");
        Ops o = new Ops(g);
        g.output(rm.scores(o, g.input("input_ids", DType.INT64, Shape.symbolic("batch", "seq")),
                g.input("position_ids", DType.INT64, Shape.symbolic("batch", "seq")),
                g.input("attention_mask", DType.INT64, Shape.symbolic("batch", "seq"))), "scores");
        try (CompiledGraph c = ENGINE.compile(g)) {
            double[] left = c.run(Map.of("input_ids", golden.tensor("input_ids"), "position_ids", golden.tensor("position_ids"),
                    "attention_mask", golden.tensor("attention_mask"))).get("scores").toDoubles();
            assertTrue(Golden.relativeError(left, Golden.doubles(reward.get("left_padded"))) <= TOLERANCE,
                    name + " left-padded scores " + java.util.Arrays.toString(left));
            JsonNode r = reward.get("right_padded");
            double[] right = c.run(Map.of("input_ids", LmRunner.longs(Golden.rows(r.get("input_ids"))),
                    "position_ids", LmRunner.longs(Golden.rows(r.get("position_ids"))),
                    "attention_mask", LmRunner.longs(Golden.rows(r.get("attention_mask"))))).get("scores").toDoubles();
            assertTrue(Golden.relativeError(right, Golden.doubles(r.get("scores"))) <= TOLERANCE,
                    name + " right-padded scores " + java.util.Arrays.toString(right));
        }
    }

    private static TensorData columns(long[][] rows, int from, int to) {
        long[][] out = new long[rows.length][];
        for (int r = 0; r < rows.length; r++) out[r] = java.util.Arrays.copyOfRange(rows[r], from, to);
        return LmRunner.longs(out);
    }

    private static double[] flatten(JsonNode logits) {
        List<Double> out = new ArrayList<>();
        logits.forEach(seq -> seq.forEach(pos -> pos.forEach(x -> out.add(x.asDouble()))));
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** The logits of real (unmasked) positions only: padding positions have no defined output. */
    private static double[] realPositions(double[] logits, long[][] mask, int v) {
        List<Double> out = new ArrayList<>();
        int t = mask[0].length;
        for (int r = 0; r < mask.length; r++) {
            for (int j = 0; j < t; j++) {
                if (mask[r][j] == 0) continue;
                for (int k = 0; k < v; k++) out.add(logits[(r * t + j) * v + k]);
            }
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
