package dev.rlhf.engine.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The in-graph token choice against {@link ReferenceSampler} on random logits. */
class TokenSelectionTest {
    private static final int BATCH = 64, VOCAB = 50;
    private static CompiledGraph graph;

    @BeforeAll
    static void compile() {
        GraphBuilder g = new GraphBuilder("select");
        Ops o = new Ops(g);
        Value logits = g.input("logits", DType.FLOAT, Shape.symbolic("batch", VOCAB));
        Value seen = g.input("seen", DType.BOOL, Shape.symbolic("batch", VOCAB));
        Value uniform = g.input("uniform", DType.FLOAT, Shape.symbolic("batch"));
        TokenSelection.Controls c = new TokenSelection.Controls(
                g.input(GenerationGraph.GREEDY, DType.BOOL, Shape.scalar()),
                g.input(GenerationGraph.TEMPERATURE, DType.FLOAT, Shape.scalar()),
                g.input(GenerationGraph.TOP_K, DType.INT64, Shape.scalar()),
                g.input(GenerationGraph.TOP_P, DType.FLOAT, Shape.scalar()),
                g.input(GenerationGraph.REPETITION_PENALTY, DType.FLOAT, Shape.scalar()));
        TokenSelection.Choice choice = TokenSelection.choose(o, logits, seen, uniform, c);
        g.output(choice.token(), "token");
        g.output(choice.logProb(), "log_prob");
        g.output(choice.modelLogProb(), "model_log_prob");
        graph = new Engine(RuntimeOptions.defaults().withThreads(1)).compile(g);
    }

    @AfterAll
    static void close() {
        graph.close();
    }

    private static List<GenerationSettings> settings() {
        List<Integer> none = List.of();
        return List.of(
                GenerationSettings.greedy(1, none),
                GenerationSettings.greedy(1, none).withRepetitionPenalty(1.8),
                GenerationSettings.sampling(1, 1.0, 1.0, 0, none),
                GenerationSettings.sampling(1, 0.6, 1.0, 0, none),
                GenerationSettings.sampling(1, 1.0, 1.0, 0, none).withTopK(5),
                GenerationSettings.sampling(1, 1.0, 0.8, 0, none),
                GenerationSettings.sampling(1, 1.0, 0.3, 0, none),
                GenerationSettings.sampling(1, 1.5, 0.9, 0, none).withTopK(10).withRepetitionPenalty(1.3),
                GenerationSettings.sampling(1, 0.8, 1.0, 0, none).withTopK(VOCAB + 7));
    }

    @Test
    void everySettingPicksTheReferenceTokenWithItsLogProbabilities() {
        Random rng = new Random(7);
        int samples = 0, distinctFromGreedy = 0;
        for (GenerationSettings s : settings()) {
            for (int trial = 0; trial < 3; trial++) {
                float[] logits = new float[BATCH * VOCAB];
                boolean[] seen = new boolean[BATCH * VOCAB];
                float[] uniform = new float[BATCH];
                for (int i = 0; i < logits.length; i++) {
                    logits[i] = (float) (rng.nextGaussian() * 2);
                    seen[i] = rng.nextInt(5) == 0;
                }
                for (int b = 0; b < BATCH; b++) uniform[b] = rng.nextFloat();
                Map<String, TensorData> out = graph.run(feeds(logits, seen, uniform, s));
                double[] tokens = out.get("token").toDoubles();
                double[] lp = out.get("log_prob").toDoubles(), mlp = out.get("model_log_prob").toDoubles();
                for (int b = 0; b < BATCH; b++) {
                    float[] row = java.util.Arrays.copyOfRange(logits, b * VOCAB, (b + 1) * VOCAB);
                    boolean[] seenRow = java.util.Arrays.copyOfRange(seen, b * VOCAB, (b + 1) * VOCAB);
                    ReferenceSampler.Pick expected = ReferenceSampler.pick(row, seenRow, uniform[b], s);
                    String where = s + " row " + b;
                    assertEquals(expected.token(), (int) tokens[b], where);
                    assertEquals(expected.logProb(), lp[b], 1e-5, where);
                    assertEquals(expected.modelLogProb(), mlp[b], 1e-5, where);
                    samples++;
                    int argmax = 0;
                    for (int j = 1; j < VOCAB; j++) if (row[j] > row[argmax]) argmax = j;
                    if (!s.greedy() && argmax != expected.token()) distinctFromGreedy++;
                }
            }
        }
        assertTrue(samples > 1000);
        assertTrue(distinctFromGreedy > 100, "sampling should often differ from the argmax: " + distinctFromGreedy);
    }

    @Test
    void topPKeepsTheSmallestSetReachingPAndTopKOneIsGreedy() {
        // probabilities 0.5, 0.3, 0.2 (logits are their logs): top-p 0.6 keeps the first two, top-p 0.5 only the first
        float[] logits = new float[VOCAB];
        java.util.Arrays.fill(logits, -1e9f);
        logits[3] = (float) Math.log(0.5);
        logits[7] = (float) Math.log(0.3);
        logits[11] = (float) Math.log(0.2);
        boolean[] seen = new boolean[VOCAB];
        for (float u : new float[] {0.1f, 0.55f, 0.7f, 0.99f}) {
            int twoKept = pick(logits, seen, u, GenerationSettings.sampling(1, 1, 0.6, 0, List.of()));
            assertEquals(u < 0.5f / 0.8f ? 3 : 7, twoKept, "u " + u);
            assertEquals(3, pick(logits, seen, u, GenerationSettings.sampling(1, 1, 0.5, 0, List.of())));
            assertEquals(3, pick(logits, seen, u, GenerationSettings.sampling(1, 1, 1, 0, List.of()).withTopK(1)));
            int all = pick(logits, seen, u, GenerationSettings.sampling(1, 1, 1, 0, List.of()));
            assertEquals(u < 0.5f ? 3 : u < 0.8f ? 7 : 11, all, "u " + u);
        }
        // a penalty of 100 on the favourite moves the greedy choice to the runner-up
        seen[3] = true;
        logits[3] = 2f;
        logits[7] = 1f;
        assertEquals(7, pick(logits, seen, 0.5f, GenerationSettings.greedy(1, List.of()).withRepetitionPenalty(100)));
    }

    private static int pick(float[] logits, boolean[] seen, float u, GenerationSettings s) {
        float[] batchLogits = new float[BATCH * VOCAB];
        boolean[] batchSeen = new boolean[BATCH * VOCAB];
        float[] uniform = new float[BATCH];
        for (int b = 0; b < BATCH; b++) {
            System.arraycopy(logits, 0, batchLogits, b * VOCAB, VOCAB);
            System.arraycopy(seen, 0, batchSeen, b * VOCAB, VOCAB);
            uniform[b] = u;
        }
        return (int) graph.run(feeds(batchLogits, batchSeen, uniform, s)).get("token").toDoubles()[BATCH - 1];
    }

    private static Map<String, TensorData> feeds(float[] logits, boolean[] seen, float[] uniform, GenerationSettings s) {
        int batch = uniform.length;
        Map<String, TensorData> f = new HashMap<>();
        f.put("logits", TensorData.ofFloats(new long[] {batch, VOCAB}, logits));
        f.put("seen", TensorData.ofBools(new long[] {batch, VOCAB}, seen));
        f.put("uniform", TensorData.ofFloats(new long[] {batch}, uniform));
        f.put(GenerationGraph.GREEDY, TensorData.ofBools(new long[0], s.greedy()));
        f.put(GenerationGraph.TEMPERATURE, TensorData.ofFloats(new long[0], (float) s.temperature()));
        f.put(GenerationGraph.TOP_K, TensorData.ofLongs(new long[0], s.topK()));
        f.put(GenerationGraph.TOP_P, TensorData.ofFloats(new long[0], (float) s.topP()));
        f.put(GenerationGraph.REPETITION_PENALTY, TensorData.ofFloats(new long[0], (float) s.repetitionPenalty()));
        return f;
    }
}
