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
}
