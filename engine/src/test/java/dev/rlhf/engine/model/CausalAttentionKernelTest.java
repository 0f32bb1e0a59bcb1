package dev.rlhf.engine.model;

import static dev.rlhf.engine.runtime.KernelFusionTest.assumeKernelsBuilt;
import static dev.rlhf.engine.runtime.KernelFusionTest.engine;
import static dev.rlhf.engine.runtime.KernelFusionTest.fusedNodes;
import static dev.rlhf.engine.runtime.KernelFusionTest.gaussian;
import static dev.rlhf.engine.runtime.KernelFusionTest.outputs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlhf.engine.autodiff.Autodiff;
import dev.rlhf.engine.graph.DType;
import dev.rlhf.engine.graph.GraphBuilder;
import dev.rlhf.engine.graph.Ops;
import dev.rlhf.engine.graph.Shape;
import dev.rlhf.engine.graph.Value;
import dev.rlhf.engine.onnx.Onnx.ModelProto;
import dev.rlhf.engine.runtime.Engine;
import dev.rlhf.engine.runtime.RuntimeOptions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The fused attention kernels (librlhf_ops: CausalAttention on packed projections, GroupedAttention on
 * grouped-query heads, and their backward passes) against the float64 graph's nodes, whose hand-derived
 * backward passes GptGradientTest and DecoderGradientTest check by finite differences: the attention
 * output and the gradients by the projections, for sequence lengths that are no multiple of the
 * kernels' four-row tiles or 16-key vectors, with head sizes on both of their column paths, a mask
 * with a hidden key inside the visible span, and padded sequences with a mask each.
 */
class CausalAttentionKernelTest {
    private static final double HIDDEN = -1e9;
    /** The padded test's sequence lengths: the first is right-padded, so its spans are shorter than the others'. */
    private static final int[] LENGTH = {15, 23, 23};

    /**
     * One attention to check: B sequences of T tokens, K key/value heads with G query heads each, head size D;
     * packed projections (qkv, G = 1) or grouped ones (q, k, v); the mask as {@link #mask} makes it.
     */
    private record Case(long batch, long tokens, long kvHeads, long group, long headSize, boolean grouped, boolean hole,
                        int[] padding) {
        static Case packed(long batch, long tokens, long heads, long headSize, boolean hole, int[] padding) {
            return new Case(batch, tokens, heads, 1, headSize, false, hole, padding);
        }

        long width() {
            return kvHeads * group * headSize;
        }

        long[] maskDims() {
            return padding == null ? new long[] {tokens, tokens} : new long[] {batch, 1, tokens, tokens};
        }

        /** The projections' names and shapes, the inputs whose gradients the graph outputs as "d" + name. */
        Map<String, long[]> projections() {
            return grouped
                    ? Map.of("q", new long[] {batch, tokens, kvHeads, group, headSize},
                             "k", new long[] {batch, tokens, kvHeads, headSize}, "v", new long[] {batch, tokens, kvHeads, headSize})
                    : Map.of("qkv", new long[] {batch, tokens, 3 * width()});
        }

        String kernel() {
            return grouped ? "GroupedAttention" : "CausalAttention";
        }
    }

    /** loss = sum(attention(projections, mask) w): outputs the attention "y" and the projections' gradients. */
    private static GraphBuilder graph(DType t, Case c) {
        GraphBuilder g = new GraphBuilder("attention_" + t);
        Ops o = new Ops(g);
        Map<String, Value> in = new java.util.TreeMap<>();
        c.projections().forEach((name, dims) -> in.put(name, g.input(name, t, Shape.of(dims))));
        Value mask = g.input("mask", t, Shape.of(c.maskDims()));
        Value w = g.input("w", t, Shape.of(c.batch(), c.tokens(), c.width()));
        Value y = c.grouped()
                ? Attention.groupedSelfAttention(o, in.get("q"), in.get("k"), in.get("v"), mask, c.headSize())
                : Attention.selfAttention(o, in.get("qkv"), mask, c.kvHeads(), c.headSize());
        g.output(y, "y");
        new Autodiff().gradients(o, o.sumAll(o.mul(y, w)), List.copyOf(in.values())).forEach((v, d) -> g.output(d, "d" + v.name()));
        return g;
    }

    /**
     * Causal; with {@code hole} key 1 hidden from every query after 1 (a hidden key inside the span); with
     * {@code padding}, one (T, T) mask per sequence b that hides its first padding[b] keys (left padding: those
     * queries see nothing, and the nodes' softmax spreads them over every key) and its keys from LENGTH[b] on
     * (right padding: those queries see only the real keys), else one (T, T) mask.
     */
    private static double[] mask(long tokens, boolean hole, int[] padding) {
        int masks = padding == null ? 1 : padding.length;
        double[] m = new double[(int) (masks * tokens * tokens)];
        for (int b = 0; b < masks; b++) {
            for (int i = 0; i < tokens; i++) {
                for (int j = 0; j < tokens; j++) {
                    boolean visible = j <= i && !(hole && j == 1 && i > 1)
                            && (padding == null || j >= padding[b] && j < LENGTH[b]);
                    m[(int) ((b * tokens + i) * tokens + j)] = visible ? 0 : HIDDEN;
                }
            }
        }
        return m;
    }

    private static void kernelsMatchFloat64(long batch, long tokens, long heads, long headSize, boolean hole) {
        kernelsMatchFloat64(Case.packed(batch, tokens, heads, headSize, hole, null));
    }

    private static void kernelsMatchFloat64(Case c) {
        assumeKernelsBuilt();
        Random rng = new Random(c.tokens() * 31 + c.headSize());
        long width = c.width(), tokens = c.tokens();
        int[] padding = c.padding();
        double[] w = gaussian(rng, c.batch() * tokens * width, 1, 0);
        for (int b = 0; padding != null && b < c.batch(); b++) {   // padding queries weigh nothing, as in a model's loss
            java.util.Arrays.fill(w, (int) (b * tokens * width), (int) ((b * tokens + padding[b]) * width), 0.0);
        }
        Map<String, double[]> feeds = new HashMap<>(Map.of("mask", mask(tokens, c.hole(), padding), "w", w));
        Map<String, long[]> dims = new HashMap<>(Map.of("mask", c.maskDims(), "w", new long[] {c.batch(), tokens, width}));
        new java.util.TreeMap<>(c.projections()).forEach((name, shape) -> {
            feeds.put(name, gaussian(rng, java.util.Arrays.stream(shape).reduce(1, (a, b) -> a * b), 1.5, 0));
            dims.put(name, shape);
        });
        Map<String, double[]> want = outputs(DType.DOUBLE, graph(DType.DOUBLE, c), feeds, dims);
        ModelProto lowered = engine(DType.FLOAT).lowered(graph(DType.FLOAT, c), Set.of());
        assertEquals(Map.of(c.kernel(), 1L, c.kernel() + "Grad", 1L), fusedNodes(lowered));
        assertTrue(lowered.getGraph().getNodeList().stream().noneMatch(n -> n.getOpType().matches("Softmax|MatMul|Transpose")),
                "the attention's nodes are gone");
        Map<String, double[]> got = outputs(DType.FLOAT, graph(DType.FLOAT, c), feeds, dims);
        assertEquals(want.keySet(), got.keySet());
        for (String name : want.keySet()) {
            double[] a = want.get(name), b = got.get(name);
            double scale = java.util.Arrays.stream(a).map(Math::abs).max().orElse(1);
            for (int i = 0; i < a.length; i++) {
                // a padding query's output is noise, and not the same noise: float64 keeps the scores under -1e9
                if (name.equals("y") && padding != null && i / width % tokens < padding[(int) (i / width / tokens)]) continue;
                assertEquals(a[i], b[i], 2e-6 * scale, name + "[" + i + "]");
            }
        }
    }

    @Test
    void causalAttentionWithWideHeadsMatchesFloat64() {
        kernelsMatchFloat64(2, 37, 3, 64, false);   // 64 columns: the kernels' four-vector path
    }

    @Test
    void attentionWithNarrowHeadsAndAHiddenKeyMatchesFloat64() {
        kernelsMatchFloat64(3, 21, 2, 16, true);    // 16 columns: the one-vector path; key 1 hidden inside the span
    }

    @Test
    void paddedSequencesWithAMaskEachMatchFloat64() {
        kernelsMatchFloat64(Case.packed(3, 23, 2, 32, false, new int[] {0, 5, 22}));   // the last sequence has one real token
    }

    @Test
    void headSizesBetweenThePathsMatchFloat64() {
        kernelsMatchFloat64(1, 19, 1, 80, false);   // 80 columns: four vectors, then one
    }

    @Test
    void groupedQueryHeadsMatchFloat64() {
        // 2 key heads with 3 query heads each: dk and dv add up over each group; padded sequences with a mask each
        kernelsMatchFloat64(new Case(3, 23, 2, 3, 16, true, false, new int[] {0, 5, 22}));
        kernelsMatchFloat64(new Case(2, 37, 1, 2, 64, true, true, null));   // one (T, T) mask, a hidden key in the span
    }

    @Test
    void headsTheKernelsCannotTakeKeepTheirNodes() {
        for (boolean grouped : List.of(false, true)) {
            Case narrow = new Case(1, 5, 2, grouped ? 2 : 1, 8, grouped, false, null);   // head size 8: no multiple of 16
            assertEquals(Map.of(), fusedNodes(new Engine(RuntimeOptions.defaults()).lowered(graph(DType.FLOAT, narrow), Set.of())));
            Case float64 = new Case(1, 5, 2, grouped ? 2 : 1, 16, grouped, false, null);
            assertEquals(Map.of(), fusedNodes(new Engine(RuntimeOptions.defaults()).lowered(graph(DType.DOUBLE, float64), Set.of())));
        }
    }
}
