package dev.rlhf.engine.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The in-graph decode loop (prefill, KV cache, left padding, stop tokens, penalty over prompt and
 * output) against a Java loop that re-runs the model without a cache on each whole sequence and
 * picks tokens with {@link ReferenceSampler}.
 */
class GeneratorTest {
    private static final Engine ENGINE = new Engine(RuntimeOptions.defaults().withThreads(1));
    private static final TinyAttentionLm MODEL = new TinyAttentionLm(11);
    private static Generator generator;
    private static CompiledGraph noCache;

    @BeforeAll
    static void compile() {
        generator = new Generator(ENGINE, MODEL);
        GraphBuilder g = new GraphBuilder("no_cache");
        Ops o = new Ops(g);
        Value ids = g.input("ids", DType.INT64, Shape.symbolic("batch", "t"));
        Value positions = g.input("positions", DType.INT64, Shape.symbolic("batch", "t"));
        Value mask = g.input("mask", DType.INT64, Shape.symbolic("batch", "t"));
        Value logits = MODEL.forward(o, ids, positions, mask, List.of()).logits();
        g.output(o.gather(logits, o.scalar(DType.INT64, -1), 1), "last");
        noCache = ENGINE.compile(g);
    }

    @AfterAll
    static void close() {
        generator.close();
        noCache.close();
    }

    /** One row at a time, the whole sequence each step, no padding: shares nothing with the graph's loop. */
    private static List<GeneratedSequence> reference(List<List<Integer>> prompts, GenerationSettings s) {
        SplittableRandom rng = new SplittableRandom(s.seed());
        float[][] uniforms = new float[prompts.size()][s.maxNewTokens()];
        for (float[] row : uniforms) for (int t = 0; t < row.length; t++) row[t] = rng.nextInt(1 << 24) * 0x1.0p-24f;
        List<GeneratedSequence> out = new ArrayList<>();
        for (int b = 0; b < prompts.size(); b++) {
            List<Integer> seq = new ArrayList<>(prompts.get(b));
            List<Integer> gen = new ArrayList<>();
            List<Float> lp = new ArrayList<>(), mlp = new ArrayList<>();
            boolean stopped = false;
            for (int t = 0; t < s.maxNewTokens() && !stopped; t++) {
                long[] ids = seq.stream().mapToLong(Integer::longValue).toArray();
                long[] pos = new long[ids.length], mask = new long[ids.length];
                for (int i = 0; i < ids.length; i++) { pos[i] = i; mask[i] = 1; }
                long[] dims = {1, ids.length};
                float[] logits = noCache.run(Map.of("ids", TensorData.ofLongs(dims, ids),
                        "positions", TensorData.ofLongs(dims, pos), "mask", TensorData.ofLongs(dims, mask)))
                        .get("last").toFloats();
                boolean[] seen = new boolean[logits.length];
                seq.forEach(id -> seen[id] = true);
                ReferenceSampler.Pick pick = ReferenceSampler.pick(logits, seen, uniforms[b][t], s);
                seq.add(pick.token());
                gen.add(pick.token());
                lp.add((float) pick.logProb());
                mlp.add((float) pick.modelLogProb());
                stopped = s.stopTokens().contains(pick.token());
            }
            float[] a = new float[gen.size()], m = new float[gen.size()];
            for (int i = 0; i < a.length; i++) { a[i] = lp.get(i); m[i] = mlp.get(i); }
            out.add(new GeneratedSequence(gen, a, m, stopped));
        }
        return out;
    }

    private static final List<List<Integer>> PROMPTS = List.of(
            List.of(3, 1, 4, 1, 5, 9, 2), List.of(6), List.of(5, 3, 5), List.of(8, 9, 7, 9, 3, 2, 3, 8, 4, 6, 2));

    private static void assertSameAsReference(GenerationSettings s) {
        List<GeneratedSequence> actual = generator.generate(PROMPTS, s);
        List<GeneratedSequence> expected = reference(PROMPTS, s);
        for (int b = 0; b < PROMPTS.size(); b++) {
            GeneratedSequence e = expected.get(b), a = actual.get(b);
            assertEquals(e.tokens(), a.tokens(), "row " + b + " with " + s);
            assertEquals(e.stopped(), a.stopped(), "row " + b);
            for (int t = 0; t < e.length(); t++) {
                assertEquals(e.logProbs()[t], a.logProbs()[t], 1e-4, "row " + b + " token " + t);
                assertEquals(e.modelLogProbs()[t], a.modelLogProbs()[t], 1e-4, "row " + b + " token " + t);
            }
        }
    }

    @Test
    void greedyLeftPaddedBatchEqualsOneRowAtATimeWithoutCache() {
        assertSameAsReference(GenerationSettings.greedy(12, List.of()));
        assertSameAsReference(GenerationSettings.greedy(12, List.of()).withRepetitionPenalty(1.5));
    }

    @Test
    void samplingWithEverySettingEqualsTheReference() {
        assertSameAsReference(GenerationSettings.sampling(12, 1.0, 1.0, 5, List.of()));
        assertSameAsReference(GenerationSettings.sampling(10, 0.7, 0.9, 6, List.of()).withTopK(8).withRepetitionPenalty(1.2));
    }

    @Test
    void rowsStopAtTheirStopTokenAndTheLoopEndsWhenAllHave() {
        // stop on the tokens that greedy decoding emits early, so rows finish at different steps
        List<GeneratedSequence> free = generator.generate(PROMPTS, GenerationSettings.greedy(12, List.of()));
        List<Integer> stops = List.of(free.get(0).tokens().get(1), free.get(3).tokens().get(0));
        GenerationSettings s = GenerationSettings.greedy(40, stops);
        assertSameAsReference(s);
        List<GeneratedSequence> out = generator.generate(PROMPTS, s);
        assertTrue(out.get(0).stopped() && out.get(0).length() <= 2, "row 0: " + out.get(0).tokens());
        assertTrue(out.get(3).stopped() && out.get(3).length() == 1);
        for (GeneratedSequence g : out) {
            assertTrue(g.tokens().subList(0, g.length() - 1).stream().noneMatch(stops::contains));
        }
    }

    @Test
    void sameSeedSameTokensOtherSeedOtherTokens() {
        GenerationSettings s = GenerationSettings.sampling(16, 1.2, 1.0, 42, List.of());
        List<GeneratedSequence> a = generator.generate(PROMPTS, s);
        List<GeneratedSequence> b = generator.generate(PROMPTS, s);
        List<GeneratedSequence> c = generator.generate(PROMPTS, s.withSeed(43));
        for (int i = 0; i < PROMPTS.size(); i++) {
            assertEquals(a.get(i).tokens(), b.get(i).tokens());
            assertTrue(Arrays.equals(a.get(i).logProbs(), b.get(i).logProbs()));
        }
        assertNotEquals(a.stream().map(GeneratedSequence::tokens).toList(), c.stream().map(GeneratedSequence::tokens).toList());
    }

    @Test
    void badPromptsAreRejectedWithTheReason() {
        GenerationSettings s = GenerationSettings.greedy(4, List.of());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> generator.generate(List.of(List.of(1, 99)), s))
                .getMessage().contains("token 99"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> generator.generate(List.of(List.of()), s))
                .getMessage().contains("prompt 0 is empty"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> generator.generate(List.of(List.of(1)), GenerationSettings.greedy(64, List.of())))
                .getMessage().contains("64 positions"));
    }
}
