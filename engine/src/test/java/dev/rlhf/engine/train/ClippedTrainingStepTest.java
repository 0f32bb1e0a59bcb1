package dev.rlhf.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rlhf.engine.graph.DType;
import dev.rlhf.engine.graph.GraphBuilder;
import dev.rlhf.engine.graph.Ops;
import dev.rlhf.engine.graph.Shape;
import dev.rlhf.engine.graph.TensorData;
import dev.rlhf.engine.graph.Value;
import dev.rlhf.engine.optim.AdamW;
import dev.rlhf.engine.optim.LearningRateSchedule;
import dev.rlhf.engine.optim.ParamGroup;
import dev.rlhf.engine.runtime.Engine;
import dev.rlhf.engine.runtime.RuntimeOptions;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A whole fused training step (gradient, global-norm clipping folded into AdamW, per-group decay)
 * on least squares, where the gradient is known in closed form, against a plain-Java reference.
 */
class ClippedTrainingStepTest {
    private static final double[] X = {1, 2, -1, 0.5, 3, -2, 0, 1, 2};   // (3 rows, 3 features)
    private static final double[] Y = {4, -1, 2};

    @Test
    void fusedStepMatchesTheReference() {
        Parameters params = new Parameters();
        params.add("w", TensorData.ofDoubles(new long[] {3, 1}, 0.1, -0.2, 0.3));
        params.add("b", TensorData.ofDoubles(new long[] {1}, 0.0));
        GraphBuilder g = new GraphBuilder("least_squares");
        Ops o = new Ops(g);
        Value x = g.input("x", DType.DOUBLE, Shape.of(3, 3));
        Value y = g.input("y", DType.DOUBLE, Shape.of(3, 1));
        Value err = o.sub(o.add(o.matMul(x, params.bind(g, "w")), params.bind(g, "b")), y);
        Value loss = o.meanAll(o.mul(err, err));
        double maxNorm = 0.5;
        TrainingGraph.append(o, loss, params, AdamW.defaults(), n -> n.equals("w") ? ParamGroup.of(0.1) : ParamGroup.of(0), maxNorm);

        double[] w = {0.1, -0.2, 0.3};
        double b = 0;
        double[] mw = new double[3], vw = new double[3];
        double mb = 0, vb = 0;
        LearningRateSchedule lr = LearningRateSchedule.constant(0.05);
        Map<String, TensorData> batch = Map.of("x", TensorData.ofDoubles(new long[] {3, 3}, X),
                "y", TensorData.ofDoubles(new long[] {3, 1}, Y));
        try (TrainingSession s = new TrainingSession(new Engine(RuntimeOptions.float64Checks()), g, params,
                AdamW.defaults().stateNames(), lr)) {
            for (int t = 1; t <= 4; t++) {
                // reference: d/dw mean((Xw + b - y)^2) = 2/n X^T r, d/db = 2/n sum r
                double[] r = new double[3];
                double lossRef = 0;
                for (int i = 0; i < 3; i++) {
                    r[i] = X[3 * i] * w[0] + X[3 * i + 1] * w[1] + X[3 * i + 2] * w[2] + b - Y[i];
                    lossRef += r[i] * r[i] / 3;
                }
                double[] gw = new double[3];
                double gb = 0;
                for (int i = 0; i < 3; i++) {
                    for (int j = 0; j < 3; j++) gw[j] += 2.0 / 3 * X[3 * i + j] * r[i];
                    gb += 2.0 / 3 * r[i];
                }
                double norm = Math.sqrt(gw[0] * gw[0] + gw[1] * gw[1] + gw[2] * gw[2] + gb * gb);
                double clip = Math.min(1, maxNorm / (norm + 1e-6));
                double rate = lr.at(t), c1 = 1 - Math.pow(0.9, t), c2 = 1 - Math.pow(0.999, t);
                for (int j = 0; j < 3; j++) {
                    double gj = gw[j] * clip;
                    w[j] -= rate * 0.1 * w[j];
                    mw[j] = 0.9 * mw[j] + 0.1 * gj;
                    vw[j] = 0.999 * vw[j] + 0.001 * gj * gj;
                    w[j] -= rate * (mw[j] / c1) / (Math.sqrt(vw[j] / c2) + 1e-8);
                }
                double gbc = gb * clip;
                mb = 0.9 * mb + 0.1 * gbc;
                vb = 0.999 * vb + 0.001 * gbc * gbc;
                b -= rate * (mb / c1) / (Math.sqrt(vb / c2) + 1e-8);

                assertEquals(lossRef, s.step(batch), 1e-12, "loss at step " + t);
            }
            assertArrayEquals(w, s.state().get("w").toDoubles(), 1e-12);
            assertEquals(b, s.state().get("b").scalarValue(), 1e-12);
        }
    }
}
