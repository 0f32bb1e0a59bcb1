package dev.rlhf.engine.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.rlhf.engine.autodiff.Autodiff;
import dev.rlhf.engine.graph.DType;
import dev.rlhf.engine.graph.GraphBuilder;
import dev.rlhf.engine.graph.Ops;
import dev.rlhf.engine.graph.Shape;
import dev.rlhf.engine.graph.TensorData;
import dev.rlhf.engine.graph.Value;
import dev.rlhf.engine.onnx.Onnx.ModelProto;
import dev.rlhf.engine.onnx.Onnx.NodeProto;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The kernels of librlhf_ops against float64: tanh GELU and its derivative in closed form, SumRows and
 * LayerNormGrad against the float64 graph's nodes; and what the rewrite leaves of the graph (AdamWStep is
 * checked bit for bit in train/FusedKernelTrainingTest). Skipped where the library was not built, except
 * under RLHF_REQUIRE_FUSED_KERNELS=1 (CI), where its absence fails.
 */
public class KernelFusionTest {
    /** Skips a test when the kernels were not built, or fails it where they must be (CI). */
    public static void assumeKernelsBuilt() {
        if (FusedKernels.library().isPresent()) return;
        if ("1".equals(System.getenv("RLHF_REQUIRE_FUSED_KERNELS"))) {
            fail("librlhf_ops is missing, and RLHF_REQUIRE_FUSED_KERNELS=1 requires it");
        }
        Assumptions.abort("librlhf_ops was not built on this machine");
    }

    /** The fused-kernel node types of the model ONNX Runtime receives, with their counts. */
    public static Map<String, Long> fusedNodes(ModelProto model) {
        return model.getGraph().getNodeList().stream().filter(n -> n.getDomain().equals(KernelFusion.DOMAIN))
                .collect(Collectors.groupingBy(NodeProto::getOpType, Collectors.counting()));
    }

    private static final int N = 40_000;   // several of the kernels' 16384-element chunks, and a ragged last one

    /** loss = sum(gelu(x) w): outputs gelu(x) and d loss / dx = w gelu'(x). */
    private static GraphBuilder gelu() {
        GraphBuilder g = new GraphBuilder("gelu");
        Ops o = new Ops(g);
        Value x = g.input("x", DType.FLOAT, Shape.of(8, N / 8));
        Value w = g.input("w", DType.FLOAT, Shape.of(8, N / 8));
        Value y = o.geluTanh(x);
        Value loss = o.sumAll(o.mul(y, w));
        g.output(y, "y");
        g.output(new Autodiff().gradients(o, loss, List.of(x)).get(x), "dx");
        return g;
    }

    @Test
    void geluKernelsComputeTheFunctionAndItsDerivative() {
        assumeKernelsBuilt();
        Random rng = new Random(17);
        float[] x = new float[N], w = new float[N];
        for (int i = 0; i < N; i++) {
            x[i] = (float) (i < 6 ? new double[] {0, -1e-3, 1e-3, -100, 100, -9.5}[i] : rng.nextGaussian() * 4);
            w[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        Engine engine = new Engine(RuntimeOptions.defaults().withThreads(2));
        GraphBuilder graph = gelu();
        ModelProto lowered = engine.lowered(graph, Set.of());
        assertEquals(Map.of("GeluTanh", 1L, "GeluTanhGrad", 1L), fusedNodes(lowered));
        assertTrue(lowered.getGraph().getNodeList().stream().noneMatch(n -> n.getOpType().equals("Sigmoid")),
                "the unfused GELU nodes are gone");
        Map<String, TensorData> out;
        try (CompiledGraph c = engine.compile(graph)) {
            out = c.run(Map.of("x", TensorData.ofFloats(new long[] {8, N / 8}, x), "w", TensorData.ofFloats(new long[] {8, N / 8}, w)));
        }
        double[] y = out.get("y").toDoubles(), dx = out.get("dx").toDoubles();
        double k = Math.sqrt(2 / Math.PI);
        for (int i = 0; i < N; i++) {
            double xi = x[i], z = k * (xi + 0.044715 * xi * xi * xi), t = Math.tanh(z);
            double want = 0.5 * xi * (1 + t);
            double slope = 0.5 * (1 + t) + 0.5 * xi * (1 - t * t) * k * (1 + 3 * 0.044715 * xi * xi);
            assertEquals(want, y[i], 1e-6 * Math.max(1, Math.abs(want)), "gelu(" + xi + ")");
            assertEquals(w[i] * slope, dx[i], 1e-6 * Math.max(1, Math.abs(w[i] * slope)), "gelu'(" + xi + ")");
        }
    }

    /** loss = sum(swiGlu(gu) w) over packed gate and up projections (3, 7, 2, 700): the kernels against float64 nodes. */
    @Test
    void swiGluKernelsMatchFloat64() {
        assumeKernelsBuilt();
        long b = 3, t = 7, width = 700;   // several of the kernels' row tasks
        Random rng = new Random(31);
        double[] gu = gaussian(rng, b * t * 2 * width, 3, 0), w = gaussian(rng, b * t * width, 1, 0);
        for (int i = 0; i < 6; i++) gu[i] = new double[] {0, -1e-3, 1e-3, -100, 100, -9.5}[i];   // gates at the extremes
        java.util.function.Function<DType, GraphBuilder> graph = type -> {
            GraphBuilder g = new GraphBuilder("swiglu_" + type);
            Ops o = new Ops(g);
            Value in = g.input("gu", type, Shape.of(b, t, 2, width)), weights = g.input("w", type, Shape.of(b, t, width));
            Value y = o.swiGlu(in);
            g.output(y, "y");
            g.output(new Autodiff().gradients(o, o.sumAll(o.mul(y, weights)), List.of(in)).get(in), "dgu");
            return g;
        };
        ModelProto lowered = engine(DType.FLOAT).lowered(graph.apply(DType.FLOAT), Set.of());
        assertEquals(Map.of("SwiGlu", 1L, "SwiGluGrad", 1L), fusedNodes(lowered));
        assertTrue(lowered.getGraph().getNodeList().stream().noneMatch(n -> n.getOpType().matches("Sigmoid|Split|Concat")),
                "the unfused SwiGLU nodes are gone");
        Map<String, double[]> feeds = Map.of("gu", gu, "w", w);
        Map<String, long[]> dims = Map.of("gu", new long[] {b, t, 2, width}, "w", new long[] {b, t, width});
        Map<String, double[]> want = outputs(DType.DOUBLE, graph.apply(DType.DOUBLE), feeds, dims);
        Map<String, double[]> got = outputs(DType.FLOAT, graph.apply(DType.FLOAT), feeds, dims);
        for (String name : List.of("y", "dgu")) {
            double[] a = want.get(name), c = got.get(name);
            for (int i = 0; i < a.length; i++) {
                assertEquals(a[i], c[i], 2e-6 * Math.max(1, Math.abs(a[i])), name + "[" + i + "]");
            }
        }
    }

    /** A bias's gradient: x (3, 700, 50) summed over its first two axes, in seven row blocks, against float64 sums. */
    @Test
    void sumRowsKernelSumsOverLeadingAxes() {
        assumeKernelsBuilt();
        long a = 3, b = 700, width = 50;
        double[] x = gaussian(new Random(29), a * b * width, 1, 0.25);
        GraphBuilder g = new GraphBuilder("bias_grad");
        Ops o = new Ops(g);
        Value in = g.input("x", DType.FLOAT, Shape.of(a, b, width));
        Value bias = g.input("bias", DType.FLOAT, Shape.of(width));
        Value loss = o.sumAll(o.mul(o.add(in, bias), in));   // d loss / d bias = x summed over (a, b)
        g.output(new Autodiff().gradients(o, loss, List.of(bias)).get(bias), "dbias");
        Engine engine = new Engine(RuntimeOptions.defaults().withThreads(2));
        assertEquals(Map.of("SumRows", 1L), fusedNodes(engine.lowered(g, Set.of())));
        double[] got;
        try (CompiledGraph c = engine.compile(g)) {
            got = c.run(Map.of("x", tensor(DType.FLOAT, x, a, b, width), "bias", tensor(DType.FLOAT, new double[(int) width], width)))
                    .get("dbias").toDoubles();
        }
        assertEquals(width, got.length);
        for (int j = 0; j < width; j++) {
            double want = 0;
            for (int r = 0; r < a * b; r++) want += (float) x[(int) (r * width + j)];
            assertEquals(want, got[j], 1e-5 * Math.sqrt(a * b), "column " + j);
        }
    }

    /** loss = sum(LayerNorm(x, scale, bias) w): its gradients by every input, the float32 kernel against float64 nodes. */
    @Test
    void layerNormGradKernelMatchesFloat64() {
        assumeKernelsBuilt();
        long rows = 300, width = 96;   // two of the kernel's row blocks, so its per-block sums of dscale and dbias are added
        Random rng = new Random(23);
        Map<String, double[]> feeds = Map.of("x", gaussian(rng, rows * width, 2, 0.5), "w", gaussian(rng, rows * width, 1, 0),
                "scale", gaussian(rng, width, 0.3, 1), "bias", gaussian(rng, width, 0.3, 0));
        Map<String, long[]> dims = Map.of("x", new long[] {rows, width}, "w", new long[] {rows, width},
                "scale", new long[] {width}, "bias", new long[] {width});
        java.util.function.Function<DType, GraphBuilder> graph = t -> {
            GraphBuilder g = new GraphBuilder("layer_norm_" + t);
            Ops o = new Ops(g);
            Value x = g.input("x", t, Shape.of(rows, width)), w = g.input("w", t, Shape.of(rows, width));
            Value scale = g.input("scale", t, Shape.of(width)), bias = g.input("bias", t, Shape.of(width));
            Value loss = o.sumAll(o.mul(o.layerNorm(x, scale, bias, 1e-5), w));
            new Autodiff().gradients(o, loss, List.of(x, scale, bias)).forEach((v, d) -> g.output(d, "d" + v.name()));
            return g;
        };
        assertEquals(Map.of("LayerNormGrad", 1L), fusedNodes(engine(DType.FLOAT).lowered(graph.apply(DType.FLOAT), Set.of())));
        Map<String, double[]> want = outputs(DType.DOUBLE, graph.apply(DType.DOUBLE), feeds, dims);
        Map<String, double[]> got = outputs(DType.FLOAT, graph.apply(DType.FLOAT), feeds, dims);
        for (String name : List.of("dx", "dscale", "dbias")) {
            double[] a = want.get(name), b = got.get(name);
            double scaleOf = java.util.Arrays.stream(a).map(Math::abs).max().orElse(1);
            for (int i = 0; i < a.length; i++) {
                assertEquals(a[i], b[i], 2e-5 * scaleOf, name + "[" + i + "]");
            }
        }
    }

    /** The engine a kernel test runs a graph of this type on: float64 nodes with checks, or float32 with the kernels. */
    public static Engine engine(DType type) {
        return new Engine(type == DType.DOUBLE ? RuntimeOptions.float64Checks() : RuntimeOptions.defaults().withThreads(2));
    }

    /** Every output of {@code graph} on {@link #engine(DType)}, fed {@code feeds} (values by input name) of shapes {@code dims}. */
    public static Map<String, double[]> outputs(DType type, GraphBuilder graph, Map<String, double[]> feeds, Map<String, long[]> dims) {
        Map<String, TensorData> in = new java.util.HashMap<>();
        feeds.forEach((name, values) -> in.put(name, tensor(type, values, dims.get(name))));
        Map<String, double[]> out = new java.util.HashMap<>();
        try (CompiledGraph c = engine(type).compile(graph)) {
            c.run(in).forEach((name, value) -> out.put(name, value.toDoubles()));
        }
        return out;
    }

    /** n draws of mean + std N(0, 1). */
    public static double[] gaussian(Random rng, long n, double std, double mean) {
        double[] v = new double[(int) n];
        for (int i = 0; i < v.length; i++) v[i] = mean + std * rng.nextGaussian();
        return v;
    }

    /** values as a tensor of the given type: float64 as they are, float32 rounded. */
    public static TensorData tensor(DType type, double[] values, long... dims) {
        if (type == DType.DOUBLE) return TensorData.ofDoubles(dims, values);
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) f[i] = (float) values[i];
        return TensorData.ofFloats(dims, f);
    }

    @Test
    void onlyFloat32KernelsAreSwapped() {
        GraphBuilder g = new GraphBuilder("gelu64");
        Ops o = new Ops(g);
        Value x = g.input("x", DType.DOUBLE, Shape.of(4));
        g.output(o.geluTanh(x), "y");
        assertEquals(Map.of(), fusedNodes(new Engine(RuntimeOptions.defaults()).lowered(g, Set.of())));
        GraphBuilder f = gelu();
        assertEquals(Map.of(), fusedNodes(new Engine(RuntimeOptions.defaults().withFusedKernels(false)).lowered(f, Set.of())));
        assertEquals(Map.of(), fusedNodes(new Engine(RuntimeOptions.defaults().withOptimization(OptimizationLevel.BASIC))
                .lowered(f, Set.of())));
    }
}
