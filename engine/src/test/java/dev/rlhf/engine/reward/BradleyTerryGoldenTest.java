package dev.rlhf.engine.reward;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rlhf.engine.autodiff.Autodiff;
import dev.rlhf.engine.graph.DType;
import dev.rlhf.engine.graph.GraphBuilder;
import dev.rlhf.engine.graph.Ops;
import dev.rlhf.engine.graph.TensorData;
import dev.rlhf.engine.graph.Value;
import dev.rlhf.engine.model.DecoderLm;
import dev.rlhf.engine.model.RewardModel;
import dev.rlhf.engine.runtime.CompiledGraph;
import dev.rlhf.engine.runtime.Engine;
import dev.rlhf.engine.runtime.RuntimeOptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Bradley–Terry training loss of {@link RewardGraphs} (margins and reward centering included) and
 * its gradients against PyTorch/transformers on the tiny GPT-2 and Llama checkpoints, in float64.
 * Golden files: {@code golden/reward/<name>.json}, made by {@code src/test/python/make_reward_golden.py}.
 */
class BradleyTerryGoldenTest {
    /**
     * Relative error allowed. Llama's is looser because transformers computes the rotary cos/sin in
     * float32 even in a float64 model (its rotary embedding disables autocast and calls .float()).
     */
    private static double tolerance(String name) {
        return name.equals("llama") ? 1e-6 : 1e-8;
    }
    private static final Engine ENGINE = new Engine(RuntimeOptions.float64Checks());

    @ParameterizedTest
    @ValueSource(strings = {"gpt2", "llama"})
    void lossAndGradientsMatchPyTorch(String name) throws Exception {
        JsonNode golden = new ObjectMapper().readTree(Path.of("src/test/resources/golden/reward", name + ".json").toFile());
        JsonNode model = new ObjectMapper().readTree(Path.of("src/test/resources/golden/models", name, "expected.json").toFile());
        DecoderLm lm = DecoderLm.load(Path.of("src/test/resources/golden/models", name), DType.DOUBLE);
        lm.parameters().add(RewardModel.SCORE, TensorData.ofReals(DType.DOUBLE,
                new long[] {1, lm.config().hiddenSize()}, doubles(model.get("reward").get("score_weight"))));
        RewardModel rm = new RewardModel(lm);

        List<int[]> sequences = new ArrayList<>(rows(golden.get("pairs").get("chosen")));
        sequences.addAll(rows(golden.get("pairs").get("rejected")));
        int pairs = sequences.size() / 2;
        GraphBuilder g = new GraphBuilder("bt_golden");
        Ops o = new Ops(g);
        Value loss = RewardGraphs.loss(o, rm, pairs, golden.get("centering").asDouble());
        g.output(loss, "loss");
        JsonNode expected = golden.get("gradients");
        List<Value> wrt = new ArrayList<>();
        expected.fieldNames().forEachRemaining(p -> wrt.add(g.value(p)));
        new Autodiff().gradients(o, loss, wrt).forEach((p, gp) -> g.output(gp, "grad." + p.name()));

        SequenceBatch batch = SequenceBatch.of(sequences, 0);
        Map<String, TensorData> feeds = new HashMap<>(lm.parameters().asMap());
        feeds.put(RewardGraphs.INPUT_IDS, batch.inputIds());
        feeds.put(RewardGraphs.POSITION_IDS, batch.positionIds());
        feeds.put(RewardGraphs.ATTENTION_MASK, batch.attentionMask());
        feeds.put(RewardGraphs.MARGIN, TensorData.ofDoubles(new long[] {pairs}, doubles(golden.get("pairs").get("margins"))));
        feeds.keySet().retainAll(inputNames(g));
        try (CompiledGraph c = ENGINE.compile(g)) {
            Map<String, TensorData> out = c.run(feeds);
            double expectedLoss = golden.get("loss").asDouble();
            assertEquals(expectedLoss, out.get("loss").scalarValue(), tolerance(name) * Math.abs(expectedLoss), name + " loss");
            for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
                var e = it.next();
                double[] grad = out.get("grad." + e.getKey()).toDoubles();
                JsonNode index = e.getValue().get("index");
                double[] actual = new double[index.size()], want = doubles(e.getValue().get("values"));
                double diff = 0, scale = 1e-300;
                for (int i = 0; i < actual.length; i++) {
                    actual[i] = grad[index.get(i).asInt()];
                    diff = Math.max(diff, Math.abs(actual[i] - want[i]));
                    scale = Math.max(scale, Math.abs(want[i]));
                }
                assertTrue(scale > 1e-12, name + " " + e.getKey() + ": the golden gradient is all zero, the check would be empty");
                assertTrue(diff / scale <= tolerance(name), name + " gradient of " + e.getKey() + ": relative error " + diff / scale);
            }
        }
    }

    private static java.util.Set<String> inputNames(GraphBuilder g) {
        java.util.Set<String> names = new java.util.HashSet<>();
        g.inputs().forEach(v -> names.add(v.name()));
        return names;
    }

    private static List<int[]> rows(JsonNode n) {
        List<int[]> out = new ArrayList<>();
        for (JsonNode row : n) {
            int[] r = new int[row.size()];
            for (int j = 0; j < r.length; j++) r[j] = row.get(j).asInt();
            out.add(r);
        }
        return out;
    }

    private static double[] doubles(JsonNode n) {
        double[] out = new double[n.size()];
        for (int i = 0; i < out.length; i++) out[i] = n.get(i).asDouble();
        return out;
    }
}
