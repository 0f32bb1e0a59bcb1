package dev.rlhf.engine.model;

import static dev.rlhf.engine.runtime.KernelFusionTest.assumeKernelsBuilt;
import static dev.rlhf.engine.runtime.KernelFusionTest.fusedNodes;
import static dev.rlhf.engine.runtime.KernelFusionTest.gaussian;
import static dev.rlhf.engine.runtime.KernelFusionTest.tensor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlhf.engine.autodiff.Autodiff;
import dev.rlhf.engine.graph.DType;
import dev.rlhf.engine.graph.GraphBuilder;
import dev.rlhf.engine.graph.Ops;
import dev.rlhf.engine.graph.Shape;
import dev.rlhf.engine.graph.TensorData;
import dev.rlhf.engine.graph.Value;
import dev.rlhf.engine.onnx.Onnx.ModelProto;
import dev.rlhf.engine.runtime.CompiledGraph;
import dev.rlhf.engine.runtime.Engine;
import dev.rlhf.engine.runtime.RuntimeOptions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The fused CausalAttention and CausalAttentionGrad kernels (librlhf_ops) against the float64 graph's
 * nodes, whose hand-derived backward pass GptGradientTest checks by finite differences: the attention
 * output and the gradient by the packed projections, for sequence lengths that are no multiple of the
 * kernels' four-row tiles or 16-key vectors, with head sizes on both of their column paths, a mask
 * with a hidden key inside the visible span, and padded sequences with a mask each.
 */
class CausalAttentionKernelTest {
    private static final double HIDDEN = -1e9;
    /** The padded test's sequence lengths: the first is right-padded, so its spans are shorter than the others'. */
    private static final int[] LENGTH = {15, 23, 23};

    /** loss = sum(attention(qkv, mask) w): outputs the attention and d loss / d qkv. */
    private static GraphBuilder graph(DType t, long batch, long tokens, long heads, long headSize, long[] maskDims) {
        GraphBuilder g = new GraphBuilder("attention_" + t);
        Ops o = new Ops(g);
        long width = heads * headSize;
        Value qkv = g.input("qkv", t, Shape.of(batch, tokens, 3 * width));
        Value mask = g.input("mask", t, Shape.of(maskDims));
        Value w = g.input("w", t, Shape.of(batch, tokens, width));
        Value y = Attention.selfAttention(o, qkv, mask, heads, headSize);
        g.output(y, "y");
        g.output(new Autodiff().gradients(o, o.sumAll(o.mul(y, w)), List.of(qkv)).get(qkv), "dqkv");
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
        kernelsMatchFloat64(batch, tokens, heads, headSize, hole, null);
    }

    private static void kernelsMatchFloat64(long batch, long tokens, long heads, long headSize, boolean hole, int[] padding) {
        assumeKernelsBuilt();
        Random rng = new Random(tokens * 31 + headSize);
        long width = heads * headSize;
        long[] maskDims = padding == null ? new long[] {tokens, tokens} : new long[] {batch, 1, tokens, tokens};
        double[] w = gaussian(rng, batch * tokens * width, 1, 0);
        for (int b = 0; padding != null && b < batch; b++) {   // padding queries weigh nothing, as in a model's loss
            java.util.Arrays.fill(w, (int) (b * tokens * width), (int) ((b * tokens + padding[b]) * width), 0.0);
        }
        Map<String, double[]> feeds = Map.of("qkv", gaussian(rng, batch * tokens * 3 * width, 1.5, 0),
                "mask", mask(tokens, hole, padding), "w", w);
        Map<String, long[]> dims = Map.of("qkv", new long[] {batch, tokens, 3 * width}, "mask", maskDims,
                "w", new long[] {batch, tokens, width});
        Map<String, double[]> want = run(DType.DOUBLE, RuntimeOptions.float64Checks(), feeds, dims, batch, tokens, heads, headSize);
        Engine fused = new Engine(RuntimeOptions.defaults().withThreads(2));
        ModelProto lowered = fused.lowered(graph(DType.FLOAT, batch, tokens, heads, headSize, maskDims), Set.of());
        assertEquals(Map.of("CausalAttention", 1L, "CausalAttentionGrad", 1L), fusedNodes(lowered));
        assertTrue(lowered.getGraph().getNodeList().stream().noneMatch(n -> n.getOpType().matches("Softmax|MatMul|Transpose")),
                "the attention's nodes are gone");
        Map<String, double[]> got = run(DType.FLOAT, RuntimeOptions.defaults().withThreads(2), feeds, dims, batch, tokens, heads, headSize);
        for (String name : List.of("y", "dqkv")) {
            double[] a = want.get(name), b = got.get(name);
            double scale = java.util.Arrays.stream(a).map(Math::abs).max().orElse(1);
            for (int i = 0; i < a.length; i++) {
                // a padding query's output is noise, and not the same noise: float64 keeps the scores under -1e9
                if (name.equals("y") && padding != null && i / width % tokens < padding[(int) (i / width / tokens)]) continue;
                assertEquals(a[i], b[i], 2e-6 * scale, name + "[" + i + "]");
            }
        }
    }

    private static Map<String, double[]> run(DType t, RuntimeOptions options, Map<String, double[]> feeds, Map<String, long[]> dims,
                                             long batch, long tokens, long heads, long headSize) {
        Map<String, TensorData> in = new HashMap<>();
        feeds.forEach((name, values) -> in.put(name, tensor(t, values, dims.get(name))));
        Map<String, double[]> out = new HashMap<>();
        try (CompiledGraph c = new Engine(options).compile(graph(t, batch, tokens, heads, headSize, dims.get("mask")))) {
            c.run(in).forEach((name, value) -> out.put(name, value.toDoubles()));
        }
        return out;
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
        kernelsMatchFloat64(3, 23, 2, 32, false, new int[] {0, 5, 22});   // the last sequence has one real token
    }

    @Test
    void headSizesBetweenThePathsMatchFloat64() {
        kernelsMatchFloat64(1, 19, 1, 80, false);   // 80 columns: four vectors, then one
    }

    @Test
    void headsTheKernelsCannotTakeKeepTheirNodes() {
        long[] mask = {5, 5};
        GraphBuilder narrow = graph(DType.FLOAT, 1, 5, 2, 8, mask);   // head size 8: no multiple of the kernels' 16
        assertEquals(Map.of(), fusedNodes(new Engine(RuntimeOptions.defaults()).lowered(narrow, Set.of())));
        GraphBuilder float64 = graph(DType.DOUBLE, 1, 5, 2, 16, mask);
        assertEquals(Map.of(), fusedNodes(new Engine(RuntimeOptions.defaults()).lowered(float64, Set.of())));
    }
}
