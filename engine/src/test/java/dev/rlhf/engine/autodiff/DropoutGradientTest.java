package dev.rlhf.engine.autodiff;

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
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Dropout draws a new mask each run, so finite differences cannot check it; instead the
 * gradient must use exactly the mask the forward pass drew: dx = 1/(1-p) where y kept x, else 0.
 */
class DropoutGradientTest {
    @Test
    void gradientFollowsTheForwardMask() {
        GraphBuilder g = new GraphBuilder("dropout");
        Ops o = new Ops(g);
        Value x = g.input("x", DType.DOUBLE, Shape.of(2000));
        Value y = o.dropout(x, 0.25, 17);
        g.output(y, "y");
        g.output(new Autodiff().gradients(o, o.sumAll(y), java.util.List.of(x)).get(x), "dx");
        double[] ones = new double[2000];
        java.util.Arrays.fill(ones, 1.0);
        try (CompiledGraph c = new Engine(RuntimeOptions.float64Checks()).compile(g)) {
            Map<String, TensorData> out = c.run(Map.of("x", TensorData.ofDoubles(new long[] {2000}, ones)));
            double[] yv = out.get("y").toDoubles(), dx = out.get("dx").toDoubles();
            int dropped = 0;
            for (int i = 0; i < yv.length; i++) {
                assertEquals(yv[i], dx[i], 1e-12);             // with x = 1, y is exactly the gradient
                assertTrue(yv[i] == 0 || Math.abs(yv[i] - 1 / 0.75) < 1e-12);
                if (yv[i] == 0) dropped++;
            }
            assertTrue(dropped > 400 && dropped < 600, dropped + " of 2000 dropped at p = 0.25");
        }
    }
}
