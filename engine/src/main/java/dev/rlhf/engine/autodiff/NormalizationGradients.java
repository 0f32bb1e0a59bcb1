package dev.rlhf.engine.autodiff;

import static dev.rlhf.engine.autodiff.Broadcasting.sumToShape;

import dev.rlhf.engine.graph.Ops;
import dev.rlhf.engine.graph.Value;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Backward rules of Softmax, LogSoftmax and LayerNormalization. */
final class NormalizationGradients {
    private NormalizationGradients() {
    }

    static void register(Map<String, GradientRule> r) {
        r.put("Softmax", NormalizationGradients::softmax);
        r.put("LogSoftmax", NormalizationGradients::logSoftmax);
        r.put("LayerNormalization", NormalizationGradients::layerNorm);
    }

    // dx = y * (g - sum(g * y))
    private static List<Value> softmax(GradientContext c) {
        Ops o = c.ops();
        Value y = c.output(0);
        long[] axis = {c.node().intAttr("axis", -1)};
        Value dot = o.reduceSum(o.mul(c.grad(), y), axis, true);
        return List.of(o.mul(y, o.sub(c.grad(), dot)));
    }

    // dx = g - softmax(x) * sum(g), with softmax(x) = exp(log_softmax(x))
    private static List<Value> logSoftmax(GradientContext c) {
        Ops o = c.ops();
        long[] axis = {c.node().intAttr("axis", -1)};
        Value total = o.reduceSum(c.grad(), axis, true);
        return List.of(o.sub(c.grad(), o.mul(o.exp(c.output(0)), total)));
    }

    /**
     * Reuses the mean and inverse std that a float32 node outputs; float64 nodes have none (ONNX
     * Runtime's saved statistics are float32 even for float64 input, which would cap gradient
     * accuracy at float32), so they are recomputed in the input's own type.
     * dx = rstd * (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat)), dxhat = g * scale.
     */
    private static List<Value> layerNorm(GradientContext c) {
        Ops o = c.ops();
        Value x = c.input(0), scale = c.input(1), g = c.grad();
        int axis = x.shape().normalizeAxis((int) c.node().intAttr("axis", -1));
        long[] axes = new long[x.rank() - axis];
        for (int i = 0; i < axes.length; i++) axes[i] = axis + i;
        double eps = c.node().floatAttr("epsilon", 1e-5);

        Value centred, rstd;
        boolean savedStatistics = c.node().outputs().size() == 3 && x.dtype() == c.output(1).dtype();
        if (savedStatistics) {
            centred = o.sub(x, c.output(1));
            rstd = c.output(2);
        } else {
            centred = o.sub(x, o.reduceMean(x, axes, true));
            Value variance = o.reduceMean(o.mul(centred, centred), axes, true);
            // epsilon is stored as a float32 attribute, so use the same rounded value here
            rstd = o.reciprocal(o.sqrt(o.add(variance, (double) (float) eps)));
        }
        Value xhat = o.mul(centred, rstd);

        Value gx = null;
        if (c.needs(0)) {
            Value dxhat = o.mul(g, scale);
            Value meanD = o.reduceMean(dxhat, axes, true);
            Value meanDx = o.reduceMean(o.mul(dxhat, xhat), axes, true);
            gx = o.mul(rstd, o.sub(o.sub(dxhat, meanD), o.mul(xhat, meanDx)));
        }
        Value gScale = c.needs(1) ? sumToShape(o, o.mul(g, xhat), scale) : null;
        Value gBias = c.inputCount() > 2 && c.needs(2) ? sumToShape(o, g, c.input(2)) : null;
        if (savedStatistics && gx != null && gScale != null && gBias != null && axis == x.rank() - 1) {
            // the same in two passes over each row, where the fused kernels are loaded
            o.graph().fusedKernel("LayerNormGrad", List.of(g, x, scale, c.output(1), c.output(2)), List.of(gx, gScale, gBias));
        }
        return Arrays.asList(gx, gScale, gBias);
    }
}
