package dev.rlhf.engine.autodiff;

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
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Exact GELU goes through Erf, which ONNX Runtime has no float64 kernel for, so its gradient is
 * checked in float32: central differences in double arithmetic over float32 evaluations, with a
 * step and tolerance suited to float32 (1e-2 step, 1e-3 relative error).
 */
class Float32GradientTest {
    @Test
    void exactGeluThroughErf() {
        Random rng = new Random(31);
        int n = 12;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (rng.nextDouble() * 6 - 3);
        GraphBuilder g = new GraphBuilder("gelu_exact");
        Ops o = new Ops(g);
        Value in = g.input("x", DType.FLOAT, Shape.of(n));
        Value loss = o.sumAll(o.geluExact(in));
        g.output(loss, "loss");
        g.output(new Autodiff().gradients(o, loss, List.of(in)).get(in), "grad");
        try (CompiledGraph c = new Engine(RuntimeOptions.defaults().withThreads(1)).compile(g)) {
            double[] analytic = c.run(Map.of("x", TensorData.ofFloats(new long[] {n}, x))).get("grad").toDoubles();
            double[] numeric = new double[n];
            double h = 1e-2;
            for (int i = 0; i < n; i++) {
                float[] up = x.clone(), down = x.clone();
                up[i] += (float) h;
                down[i] -= (float) h;
                double lossUp = c.run(Map.of("x", TensorData.ofFloats(new long[] {n}, up))).get("loss").scalarValue();
                double lossDown = c.run(Map.of("x", TensorData.ofFloats(new long[] {n}, down))).get("loss").scalarValue();
                numeric[i] = (lossUp - lossDown) / (up[i] - down[i]);
            }
            double err = GradientCheck.relativeError(analytic, numeric);
            assertTrue(err <= 1e-3, "relative error " + err);
        }
    }

    /**
     * A float32 LayerNormalization gradient reuses the mean and inverse std the node outputs; it must
     * agree with the float64 gradient (which recomputes them and is checked by finite differences).
     */
    @Test
    void layerNormGradientFromSavedStatisticsMatchesFloat64() {
        Random rng = new Random(32);
        long rows = 6, width = 16;
        double[] x = new double[(int) (rows * width)], w = new double[x.length], scale = new double[(int) width];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextGaussian() * 2 + 0.5;
            w[i] = rng.nextGaussian();
        }
        for (int i = 0; i < scale.length; i++) scale[i] = 1 + 0.3 * rng.nextGaussian();
        Map<String, double[]> grads = new java.util.HashMap<>();
        for (DType t : List.of(DType.DOUBLE, DType.FLOAT)) {
            GraphBuilder g = new GraphBuilder("layer_norm_" + t);
            Ops o = new Ops(g);
            Value in = g.input("x", t, Shape.of(rows, width));
            Value s = g.input("scale", t, Shape.of(width));
            Value weights = g.input("w", t, Shape.of(rows, width));
            Value loss = o.sumAll(o.mul(o.layerNorm(in, s, o.mul(s, 0.1), 1e-5), weights));
            Map<Value, Value> d = new Autodiff().gradients(o, loss, List.of(in, s));
            g.output(d.get(in), "dx");
            g.output(d.get(s), "dscale");
            RuntimeOptions options = t == DType.DOUBLE ? RuntimeOptions.float64Checks() : RuntimeOptions.defaults().withThreads(1);
            try (CompiledGraph c = new Engine(options).compile(g)) {
                Map<String, TensorData> out = c.run(Map.of("x", cast(t, new long[] {rows, width}, x),
                        "scale", cast(t, new long[] {width}, scale), "w", cast(t, new long[] {rows, width}, w)));
                grads.put(t + ".dx", out.get("dx").toDoubles());
                grads.put(t + ".dscale", out.get("dscale").toDoubles());
            }
        }
        for (String name : List.of("dx", "dscale")) {
            double err = GradientCheck.relativeError(grads.get(DType.FLOAT + "." + name), grads.get(DType.DOUBLE + "." + name));
            assertTrue(err <= 1e-5, name + ": relative error " + err);
        }
    }

    private static TensorData cast(DType t, long[] dims, double[] v) {
        if (t == DType.DOUBLE) return TensorData.ofDoubles(dims, v);
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
        return TensorData.ofFloats(dims, f);
    }
}
