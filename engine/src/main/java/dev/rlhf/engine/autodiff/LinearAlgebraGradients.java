package dev.rlhf.engine.autodiff;

import static dev.rlhf.engine.autodiff.Broadcasting.sumToShape;

import dev.rlhf.engine.graph.Ops;
import dev.rlhf.engine.graph.Value;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Backward rules of MatMul and Gemm. */
final class LinearAlgebraGradients {
    private LinearAlgebraGradients() {
    }

    static void register(Map<String, GradientRule> r) {
        r.put("MatMul", LinearAlgebraGradients::matMul);
        r.put("Gemm", LinearAlgebraGradients::gemm);
    }

    // Y = A @ B:  dA = dY @ B^T,  dB = A^T @ dY, each summed over broadcast batch axes.
    private static List<Value> matMul(GradientContext c) {
        Ops o = c.ops();
        Value a = c.input(0), b = c.input(1), g = c.grad();
        Value ga = null;
        if (c.needs(0)) {
            ga = sameBatch(a, b) && isLastTwoTranspose(o, a)
                    ? o.transposeLastTwo(o.matMul(b, o.transposeLastTwo(g)))   // (B dY^T)^T, see below
                    : sumToShape(o, o.matMul(g, o.transposeLastTwo(b)), a);
        }
        Value gb = null;
        if (c.needs(1)) {
            if (sameBatch(a, b) && isLastTwoTranspose(o, b)) {
                // b = K^T (attention keys): dB = (dY^T A)^T, so dK = Transpose(dB) is dY^T A once ONNX Runtime
                // cancels the two transposes, and dY^T fuses into the product; A^T dY would instead
                // materialise A^T when A is itself a transposed view (queries laid out by head)
                gb = o.transposeLastTwo(o.matMul(o.transposeLastTwo(g), a));
            } else if (isSharedWeight(a, b) && isTransposeOfMatrix(o, b)) {
                // b = W^T (a tied output head): compute dW = dY^T A directly; the Transpose rule cancels the outer transpose
                gb = o.transpose(weightGradient(o, g, a), 1, 0);
            } else if (isSharedWeight(a, b)) {
                gb = weightGradient(o, a, g);
            } else {
                gb = sumToShape(o, o.matMul(o.transposeLastTwo(a), g), b);
            }
        }
        return Arrays.asList(ga, gb);
    }

    /** Batched operands with equal batch axes: no broadcasting, so no sum over batch axes in the gradient. */
    private static boolean sameBatch(Value a, Value b) {
        return a.rank() > 2 && a.rank() == b.rank()
                && a.shape().dims().subList(0, a.rank() - 2).equals(b.shape().dims().subList(0, b.rank() - 2));
    }

    /** Whether x is a Transpose that swaps exactly the last two axes. */
    private static boolean isLastTwoTranspose(Ops o, Value x) {
        return o.graph().producer(x.name()).filter(n -> n.opType().equals("Transpose")).map(n -> {
            long[] perm = n.intsAttr("perm");
            if (perm == null || perm.length != x.rank()) return false;
            for (int i = 0; i < perm.length - 2; i++) if (perm[i] != i) return false;
            return perm[perm.length - 2] == perm.length - 1 && perm[perm.length - 1] == perm.length - 2;
        }).orElse(false);
    }

    private static boolean isTransposeOfMatrix(Ops o, Value b) {
        return o.graph().producer(b.name()).map(n -> n.opType().equals("Transpose")).orElse(false);
    }

    /** (B, T, C) @ (C, D): the weight is shared by every row, the commonest case in a transformer. */
    private static boolean isSharedWeight(Value a, Value b) {
        return b.rank() == 2 && a.rank() > 2 && a.shape().dim(-1).isStatic() && b.shape().dim(-1).isStatic();
    }

    /**
     * One (C, N) x (N, D) product over all rows instead of a batched product followed by a sum.
     * Written as Transpose + MatMul, which ONNX Runtime fuses into FusedMatMul: measured 5-6x
     * faster on CPU than Gemm with transA=1 for (1024, 256)^T x (1024, 768).
     */
    private static Value weightGradient(Ops o, Value a, Value g) {
        Value rowsA = o.reshape(a, -1, a.shape().dim(-1).size());   // (N, C)
        Value rowsG = o.reshape(g, -1, g.shape().dim(-1).size());   // (N, D)
        return o.matMul(o.transpose(rowsA, 1, 0), rowsG);           // (C, D)
    }

    // Y = alpha op(A) op(B) + beta C, where op transposes when transA / transB is set.
    private static List<Value> gemm(GradientContext c) {
        Ops o = c.ops();
        Value a = c.input(0), b = c.input(1), g = c.grad();
        boolean transA = c.node().intAttr("transA", 0) == 1;
        boolean transB = c.node().intAttr("transB", 0) == 1;
        double alpha = c.node().floatAttr("alpha", 1.0);
        double beta = c.node().floatAttr("beta", 1.0);
        Value ga = null, gb = null, gc = null;
        if (c.needs(0)) {
            ga = transA ? o.gemm(b, g, null, transB, true, alpha, 0.0) : o.gemm(g, b, null, false, !transB, alpha, 0.0);
        }
        if (c.needs(1)) {
            gb = transB ? o.gemm(g, a, null, true, transA, alpha, 0.0) : o.gemm(a, g, null, !transA, false, alpha, 0.0);
        }
        if (c.inputCount() > 2 && c.needs(2)) {
            gc = sumToShape(o, beta == 1.0 ? g : o.mul(g, beta), c.input(2));
        }
        return Arrays.asList(ga, gb, gc);
    }
}
