package dev.rlhf.engine.autodiff;

import static dev.rlhf.engine.autodiff.ElementwiseGradientTest.TOLERANCE;
import static dev.rlhf.engine.autodiff.ElementwiseGradientTest.TRIALS;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlhf.engine.graph.Ops;
import dev.rlhf.engine.graph.Value;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Finite-difference checks of matrix, normalisation, reduction and data-movement gradients. */
class StructuralGradientTest {

    private static int size(Random rng) {
        return 1 + rng.nextInt(4);
    }

    private static void assertTrials(long seed, Function<Random, GradientCheck> inputs,
                                     BiFunction<Ops, List<Value>, Value> f) {
        Random rng = new Random(seed);
        for (int t = 0; t < TRIALS; t++) {
            double err = inputs.apply(rng).maxRelativeError(f);
            assertTrue(err <= TOLERANCE, "relative error " + err);
        }
    }

    @Test
    void matMulWithBatchedActivationsAndSharedWeight() {
        assertTrials(100, rng -> {
            int b = size(rng), t = size(rng), c = size(rng), d = size(rng);
            return new GradientCheck(rng).real(b, t, c).real(c, d);
        }, (o, in) -> o.matMul(in.get(0), in.get(1)));
    }

    @Test
    void matMulWithBroadcastBatchAxes() {
        assertTrials(101, rng -> {
            int h = size(rng), t = size(rng), c = size(rng);
            return new GradientCheck(rng).real(2, h, t, c).real(1, h, c, t);
        }, (o, in) -> o.matMul(in.get(0), in.get(1)));
    }

    @Test
    void matMulOfTransposedOperandsAsInAttention() {
        // scores = Q K^T and its transposed twin: the gradient of a transposed operand is computed as a transposed product
        assertTrials(106, rng -> {
            int b = size(rng), h = size(rng), t = size(rng), d = size(rng);
            return new GradientCheck(rng).real(b, h, t, d).real(b, h, t, d);
        }, (o, in) -> o.add(o.matMul(in.get(0), o.transposeLastTwo(in.get(1))),
                o.mul(o.matMul(o.transposeLastTwo(o.transpose(in.get(0), 0, 1, 3, 2)), o.transposeLastTwo(in.get(1))), 0.5)));
    }

    @Test
    void gemmInEveryTransposeCombination() {
        for (int mode = 0; mode < 4; mode++) {
            boolean ta = (mode & 1) == 1, tb = (mode & 2) == 2;
            assertTrials(102 + mode, rng -> {
                int m = size(rng), k = size(rng), n = size(rng);
                return new GradientCheck(rng).real(ta ? k : m, ta ? m : k).real(tb ? n : k, tb ? k : n).real(n);
            }, (o, in) -> o.gemm(in.get(0), in.get(1), in.get(2), ta, tb, 0.7, 1.3));
        }
    }

    @Test
    void softmaxOverEachAxis() {
        assertTrials(110, rng -> new GradientCheck(rng).real(size(rng), size(rng) + 1, size(rng)),
                (o, in) -> o.softmax(in.get(0), -1));
        assertTrials(111, rng -> new GradientCheck(rng).real(size(rng), size(rng) + 1, size(rng)),
                (o, in) -> o.softmax(in.get(0), 1));
    }

    @Test
    void logSoftmax() {
        assertTrials(112, rng -> new GradientCheck(rng).real(size(rng), size(rng) + 1),
                (o, in) -> o.logSoftmax(in.get(0), -1));
    }

    @Test
    void layerNormalizationInFloat64() {
        assertTrials(113, rng -> {
            int c = 2 + rng.nextInt(4);
            return new GradientCheck(rng).real(size(rng), size(rng), c).real(c).real(c);
        }, (o, in) -> o.layerNorm(in.get(0), in.get(1), in.get(2), 1e-5));
    }

    @Test
    void rmsNorm() {
        assertTrials(114, rng -> {
            int c = 1 + size(rng);
            return new GradientCheck(rng).real(size(rng), c).real(c);
        }, (o, in) -> o.rmsNorm(in.get(0), in.get(1), 1e-6));
    }

    @Test
    void reductionsWithAndWithoutKeptAxes() {
        assertTrials(120, rng -> new GradientCheck(rng).real(size(rng), size(rng), size(rng)),
                (o, in) -> o.reduceSum(in.get(0), new long[] {0, 2}, false));
        assertTrials(121, rng -> new GradientCheck(rng).real(size(rng), size(rng), size(rng)),
                (o, in) -> o.reduceMean(in.get(0), new long[] {-1}, true));
        assertTrials(122, rng -> new GradientCheck(rng).real(size(rng), size(rng), size(rng)),
                (o, in) -> o.reduceMax(in.get(0), new long[] {1}, false));
    }

    @Test
    void reshapeTransposeAndSqueeze() {
        assertTrials(130, rng -> new GradientCheck(rng).real(size(rng), size(rng), size(rng)), (o, in) -> {
            Value x = in.get(0);
            Value moved = o.transpose(x, 2, 0, 1);
            return o.squeeze(o.unsqueeze(o.reshape(moved, 0, -1), 1), 1);
        });
    }

    @Test
    void concatSliceAndSplit() {
        assertTrials(131, rng -> {
            int n = size(rng);
            return new GradientCheck(rng).real(n, 2).real(n, 3);
        }, (o, in) -> {
            Value joined = o.concat(1, in.get(0), in.get(1));                  // (n, 5)
            Value middle = o.slice(joined, new long[] {1}, new long[] {-1}, new long[] {1});
            List<Value> parts = o.split(middle, 1, 1, 2);                      // the second part is unused
            return o.mul(parts.get(1), parts.get(1));
        });
    }

    @Test
    void expandBroadcastsToATarget() {
        assertTrials(132, rng -> new GradientCheck(rng).real(1, size(rng)),
                (o, in) -> o.expand(in.get(0), 3, in.get(0).shape().dim(1).size()));
    }

    @Test
    void embeddingLookupWithRepeatedTokens() {
        // 4 distinct ids over up to 12 positions: repeats are certain, so lost updates would show.
        assertTrials(140, rng -> new GradientCheck(rng).real(4, size(rng)).indices(new long[] {size(rng), 3}, 4),
                (o, in) -> o.gather(in.get(0), in.get(1), 0));
    }

    @Test
    void gatherAlongALaterAxisWithRepeatedIndices() {
        for (int axis = 1; axis <= 2; axis++) {
            final int a = axis;
            assertTrials(142 + axis, rng -> new GradientCheck(rng).real(size(rng), 3, 4).indices(new long[] {5}, a == 1 ? 3 : 4),
                    (o, in) -> o.gather(in.get(0), in.get(1), a));
        }
    }

    @Test
    void gatherElementsPicksPerRow() {
        assertTrials(141, rng -> {
            int rows = size(rng), vocab = 1 + size(rng);
            return new GradientCheck(rng).real(rows, vocab).indices(new long[] {rows, 2}, vocab);
        }, (o, in) -> o.gatherElements(in.get(0), in.get(1), 1));
    }
}
