package dev.rlhf.engine.autodiff;

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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BiFunction;

/**
 * Compares autodiff gradients with float64 central finite differences. The checked scalar is
 * sum(f(inputs) * w) for a fixed random w, so every output element's gradient path is exercised
 * with a distinct weight. The error is max|analytic - numeric| / max(max|numeric|, 1e-8),
 * i.e. relative to the gradient's scale, per differentiated input.
 */
public final class GradientCheck {
    private static final Engine ENGINE = new Engine(RuntimeOptions.float64Checks());
    private static final double STEP = 1e-6;

    private record Spec(String name, DType dtype, long[] dims, double[] values, boolean differentiable) {
    }

    private final Random rng;
    private final List<Spec> specs = new ArrayList<>();

    public GradientCheck(Random rng) {
        this.rng = rng;
    }

    /** A float64 input with values uniform in [lo, hi). */
    public GradientCheck real(long[] dims, double lo, double hi) {
        double[] v = new double[(int) TensorData.elementCount(dims)];
        for (int i = 0; i < v.length; i++) v[i] = lo + (hi - lo) * rng.nextDouble();
        specs.add(new Spec("x" + specs.size(), DType.DOUBLE, dims, v, true));
        return this;
    }

    public GradientCheck real(long... dims) {
        return real(dims, -2.0, 2.0);
    }

    /** An input with given values: float64 ones are differentiated when {@code differentiable}. */
    public GradientCheck given(DType dtype, long[] dims, double[] values, boolean differentiable) {
        specs.add(new Spec("g" + specs.size(), dtype, dims, values, differentiable && dtype == DType.DOUBLE));
        return this;
    }

    /** An int64 input (indices) uniform in [0, bound); not differentiated. */
    public GradientCheck indices(long[] dims, int bound) {
        double[] v = new double[(int) TensorData.elementCount(dims)];
        for (int i = 0; i < v.length; i++) v[i] = rng.nextInt(bound);
        specs.add(new Spec("i" + specs.size(), DType.INT64, dims, v, false));
        return this;
    }

    /** A boolean input (a mask); not differentiated. */
    public GradientCheck mask(long... dims) {
        double[] v = new double[(int) TensorData.elementCount(dims)];
        for (int i = 0; i < v.length; i++) v[i] = rng.nextBoolean() ? 1 : 0;
        specs.add(new Spec("m" + specs.size(), DType.BOOL, dims, v, false));
        return this;
    }

    /** Builds f, differentiates it and returns the worst relative error over all real inputs. */
    public double maxRelativeError(BiFunction<Ops, List<Value>, Value> f) {
        GraphBuilder g = new GraphBuilder("gradient_check");
        Ops ops = new Ops(g);
        List<Value> inputs = new ArrayList<>();
        for (Spec s : specs) inputs.add(g.input(s.name, s.dtype, Shape.of(s.dims)));
        Value y = f.apply(ops, inputs);
        long[] yDims = y.shape().sizes();
        double[] w = new double[(int) TensorData.elementCount(yDims)];
        for (int i = 0; i < w.length; i++) w[i] = rng.nextDouble() * 2 - 1;
        Value loss = ops.sumAll(ops.mul(y, ops.constant(TensorData.ofDoubles(yDims, w))));
        g.output(loss, "loss");
        List<Value> wrt = new ArrayList<>();
        for (int k = 0; k < specs.size(); k++) if (specs.get(k).differentiable) wrt.add(inputs.get(k));
        Map<Value, Value> grads = new Autodiff().gradients(ops, loss, wrt);
        grads.forEach((p, gp) -> g.output(gp, "grad_" + p.name()));

        try (CompiledGraph compiled = ENGINE.compile(g)) {
            Map<String, TensorData> feeds = feeds(null, -1, 0);
            Map<String, TensorData> result = compiled.run(feeds);
            double worst = 0;
            for (int k = 0; k < specs.size(); k++) {
                Spec s = specs.get(k);
                if (!s.differentiable) continue;
                double[] analytic = result.get("grad_" + s.name).toDoubles();
                double[] numeric = new double[s.values.length];
                for (int i = 0; i < numeric.length; i++) {
                    double plus = compiled.run(feeds(s, i, STEP)).get("loss").scalarValue();
                    double minus = compiled.run(feeds(s, i, -STEP)).get("loss").scalarValue();
                    numeric[i] = (plus - minus) / (2 * STEP);
                }
                worst = Math.max(worst, relativeError(analytic, numeric));
            }
            return worst;
        }
    }

    private Map<String, TensorData> feeds(Spec perturbed, int index, double delta) {
        Map<String, TensorData> feeds = new HashMap<>();
        for (Spec s : specs) {
            double[] v = s.values;
            if (s == perturbed) {
                v = v.clone();
                v[index] += delta;
            }
            feeds.put(s.name, switch (s.dtype) {
                case DOUBLE -> TensorData.ofDoubles(s.dims, v);
                case INT64 -> TensorData.ofLongs(s.dims, java.util.Arrays.stream(v).mapToLong(d -> (long) d).toArray());
                case BOOL -> {
                    boolean[] b = new boolean[v.length];
                    for (int i = 0; i < b.length; i++) b[i] = v[i] != 0;
                    yield TensorData.ofBools(s.dims, b);
                }
                default -> throw new IllegalStateException();
            });
        }
        return feeds;
    }

    static double relativeError(double[] analytic, double[] numeric) {
        double diff = 0, scale = 1e-8;
        for (int i = 0; i < numeric.length; i++) {
            diff = Math.max(diff, Math.abs(analytic[i] - numeric[i]));
            scale = Math.max(scale, Math.abs(numeric[i]));
        }
        return diff / scale;
    }
}
