package dev.rlhf.engine.autodiff;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlhf.engine.graph.Ops;
import dev.rlhf.engine.graph.Value;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

class ElementwiseGradientTest {
    static final double TOLERANCE = 1e-6;
    static final int TRIALS = 3;

    /** A random shape of rank 1..3 with sizes 1..4, small enough for finite differences. */
    static long[] randomShape(Random rng) {
        long[] dims = new long[1 + rng.nextInt(3)];
        for (int i = 0; i < dims.length; i++) dims[i] = 1 + rng.nextInt(4);
        return dims;
    }

    /** The same shape with some axes set to 1 or dropped from the front, to exercise broadcasting. */
    static long[] broadcastableTo(long[] dims, Random rng) {
        int drop = rng.nextInt(dims.length);
        long[] out = new long[dims.length - drop];
        for (int i = 0; i < out.length; i++) out[i] = rng.nextBoolean() ? 1 : dims[i + drop];
        return out;
    }

    static void assertUnary(long seed, double lo, double hi, BiFunction<Ops, Value, Value> f) {
        Random rng = new Random(seed);
        for (int t = 0; t < TRIALS; t++) {
            double err = new GradientCheck(rng).real(randomShape(rng), lo, hi)
                    .maxRelativeError((o, in) -> f.apply(o, in.get(0)));
            assertTrue(err <= TOLERANCE, "relative error " + err);
        }
    }

    static void assertBinary(long seed, double lo, double hi, BiFunction<Ops, List<Value>, Value> f) {
        Random rng = new Random(seed);
        for (int t = 0; t < TRIALS; t++) {
            long[] shape = randomShape(rng);
            GradientCheck check = new GradientCheck(rng).real(shape, lo, hi).real(broadcastableTo(shape, rng), lo, hi);
            double err = check.maxRelativeError(f);
            assertTrue(err <= TOLERANCE, "relative error " + err);
        }
    }

    @Test void addBroadcasts() { assertBinary(1, -2, 2, (o, in) -> o.add(in.get(0), in.get(1))); }
    @Test void addWithBroadcastOnTheLeft() { assertBinary(2, -2, 2, (o, in) -> o.add(in.get(1), in.get(0))); }
    @Test void subBroadcasts() { assertBinary(3, -2, 2, (o, in) -> o.sub(in.get(1), in.get(0))); }
    @Test void mulBroadcasts() { assertBinary(4, -2, 2, (o, in) -> o.mul(in.get(0), in.get(1))); }
    @Test void divBroadcasts() { assertBinary(5, 0.5, 2, (o, in) -> o.div(in.get(1), in.get(0))); }
    @Test void powOfBothOperands() { assertBinary(6, 0.5, 2, (o, in) -> o.pow(in.get(0), in.get(1))); }
    @Test void minPicksTheSmaller() { assertBinary(7, -2, 2, (o, in) -> o.min(in.get(0), in.get(1))); }
    @Test void maxPicksTheLarger() { assertBinary(8, -2, 2, (o, in) -> o.max(in.get(1), in.get(0))); }

    @Test void sqrt() { assertUnary(10, 0.2, 3, Ops::sqrt); }
    @Test void exp() { assertUnary(11, -2, 2, Ops::exp); }
    @Test void log() { assertUnary(12, 0.2, 3, Ops::log); }
    @Test void tanh() { assertUnary(13, -2, 2, Ops::tanh); }
    @Test void sigmoid() { assertUnary(14, -3, 3, Ops::sigmoid); }
    @Test void geluTanhApproximation() { assertUnary(15, -3, 3, Ops::geluTanh); }
    @Test void silu() { assertUnary(16, -3, 3, Ops::silu); }
    @Test void logSigmoidIsStable() { assertUnary(17, -30, 30, Ops::logSigmoid); }
    @Test void neg() { assertUnary(18, -2, 2, Ops::neg); }
    @Test void abs() { assertUnary(19, -2, 2, Ops::abs); }
    @Test void relu() { assertUnary(20, -2, 2, Ops::relu); }
    @Test void reciprocal() { assertUnary(21, 0.5, 2, Ops::reciprocal); }
    @Test void powByConstant() { assertUnary(22, 0.2, 2, (o, x) -> o.pow(x, 2.5)); }
    @Test void swiGluOfPackedGateAndUp() {   // a hand-derived gradient by the packed (B, T, 2, I) tensor
        double err = new GradientCheck(new Random(24)).real(new long[] {2, 3, 2, 5}, -4, 4)
                .maxRelativeError((o, in) -> o.swiGlu(in.get(0)));
        assertTrue(err <= TOLERANCE, "relative error " + err);
    }
    @Test void squareByConstant() { assertUnary(23, -2, 2, (o, x) -> o.pow(x, 2.0)); }   // its own rule: 2 x, no Pow
    @Test void clipBlocksOutsideTheRange() { assertUnary(23, -2, 2, (o, x) -> o.clip(x, -0.8, 0.7)); }

    @Test
    void castToTheSameTypePassesTheGradient() {
        assertUnary(24, -2, 2, (o, x) -> o.mul(o.cast(x, dev.rlhf.engine.graph.DType.DOUBLE), x));
    }

    @Test
    void castThroughFloat32ReturnsAGradientOfTheInputType() {
        // finite differences cannot see through float32 rounding at 1e-6; the gradient of
        // sum(float32(x)^2 * w) is 2 float32(x) w, compared here at float32 precision
        dev.rlhf.engine.graph.GraphBuilder g = new dev.rlhf.engine.graph.GraphBuilder("cast");
        Ops o = new Ops(g);
        Value x = g.input("x", dev.rlhf.engine.graph.DType.DOUBLE, dev.rlhf.engine.graph.Shape.of(3));
        Value low = o.cast(x, dev.rlhf.engine.graph.DType.FLOAT);
        Value loss = o.cast(o.sumAll(o.mul(low, low)), dev.rlhf.engine.graph.DType.DOUBLE);
        Value grad = new Autodiff().gradients(o, loss, List.of(x)).get(x);
        org.junit.jupiter.api.Assertions.assertEquals(dev.rlhf.engine.graph.DType.DOUBLE, grad.dtype());
        g.output(grad, "grad");
        try (var c = new dev.rlhf.engine.runtime.Engine(dev.rlhf.engine.runtime.RuntimeOptions.float64Checks()).compile(g)) {
            double[] out = c.run(java.util.Map.of("x", dev.rlhf.engine.graph.TensorData.ofDoubles(new long[] {3}, 0.5, -1.25, 3)))
                    .get("grad").toDoubles();
            org.junit.jupiter.api.Assertions.assertArrayEquals(new double[] {1.0, -2.5, 6.0}, out, 1e-6);
        }
    }

    @Test
    void whereRoutesGradientsByMask() {
        Random rng = new Random(25);
        for (int t = 0; t < TRIALS; t++) {
            long[] shape = randomShape(rng);
            double err = new GradientCheck(rng).mask(shape).real(shape).real(broadcastableTo(shape, rng))
                    .maxRelativeError((o, in) -> o.where(in.get(0), in.get(1), in.get(2)));
            assertTrue(err <= TOLERANCE, "relative error " + err);
        }
    }
}
