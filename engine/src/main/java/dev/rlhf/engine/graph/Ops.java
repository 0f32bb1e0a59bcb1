package dev.rlhf.engine.graph;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Typed ONNX operators (opset {@value ModelWriter#OPSET}) with shape inference, so that autodiff
 * knows which axes were broadcast. Composite functions (GELU, SiLU, RMSNorm, log-sigmoid) are
 * built from primitives here and differentiate through them.
 */
public class Ops extends ShapeOps {
    public Ops(GraphBuilder g) {
        super(g);
    }

    // ---- elementwise ------------------------------------------------------------------------

    private Value binary(String opType, Value a, Value b) {
        sameType(opType, a, b);
        return op(opType, a.dtype(), Shape.broadcast(a.shape(), b.shape()), Map.of(), a, b);
    }

    public Value add(Value a, Value b) { return binary("Add", a, b); }
    public Value sub(Value a, Value b) { return binary("Sub", a, b); }
    public Value mul(Value a, Value b) { return binary("Mul", a, b); }
    public Value div(Value a, Value b) { return binary("Div", a, b); }
    public Value pow(Value a, Value b) { return binary("Pow", a, b); }
    public Value min(Value a, Value b) { return binary("Min", a, b); }
    public Value max(Value a, Value b) { return binary("Max", a, b); }

    public Value add(Value a, double b) { return add(a, scalar(a.dtype(), b)); }
    public Value mul(Value a, double b) { return mul(a, scalar(a.dtype(), b)); }
    public Value pow(Value a, double b) { return pow(a, scalar(a.dtype(), b)); }

    private Value compare(String opType, Value a, Value b) {
        sameType(opType, a, b);
        return op(opType, DType.BOOL, Shape.broadcast(a.shape(), b.shape()), Map.of(), a, b);
    }

    public Value equal(Value a, Value b) { return compare("Equal", a, b); }
    public Value less(Value a, Value b) { return compare("Less", a, b); }
    public Value greater(Value a, Value b) { return compare("Greater", a, b); }
    public Value and(Value a, Value b) { return compare("And", a, b); }

    private Value unary(String opType, Value x) {
        return op(opType, x.dtype(), x.shape(), Map.of(), x);
    }

    public Value neg(Value x) { return unary("Neg", x); }
    public Value exp(Value x) { return unary("Exp", x); }
    public Value log(Value x) { return unary("Log", x); }
    public Value sqrt(Value x) { return unary("Sqrt", x); }
    public Value tanh(Value x) { return unary("Tanh", x); }
    public Value sigmoid(Value x) { return unary("Sigmoid", x); }
    public Value abs(Value x) { return unary("Abs", x); }
    public Value relu(Value x) { return unary("Relu", x); }
    public Value sign(Value x) { return unary("Sign", x); }
    public Value reciprocal(Value x) { return unary("Reciprocal", x); }
    public Value identity(Value x) { return unary("Identity", x); }
    public Value not(Value x) { return unary("Not", x); }

    /** x itself, but autodiff treats it as a constant (torch's detach). */
    public Value stopGradient(Value x) {
        Value y = identity(x);
        g.stopGradient(y.name());
        return y;
    }

    /** Exact GELU through Erf. ONNX Runtime has no float64 Erf kernel, so use it on float only. */
    public Value erf(Value x) { return unary("Erf", x); }

    public Value cast(Value x, DType to) {
        return op("Cast", to, x.shape(), attrs("to", (long) to.onnxCode()), x);
    }

    public Value where(Value condition, Value whenTrue, Value whenFalse) {
        sameType("Where", whenTrue, whenFalse);
        Shape s = Shape.broadcast(condition.shape(), Shape.broadcast(whenTrue.shape(), whenFalse.shape()));
        return op("Where", whenTrue.dtype(), s, Map.of(), condition, whenTrue, whenFalse);
    }

    public Value clip(Value x, double lo, double hi) {
        return op("Clip", x.dtype(), x.shape(), Map.of(), x, scalar(x.dtype(), lo), scalar(x.dtype(), hi));
    }

    /**
     * Training-mode dropout: zeroes each element with probability {@code ratio} and scales the rest
     * by 1 / (1 - ratio). ONNX Runtime seeds the generator once per session from {@code seed},
     * so masks differ between steps but repeat between runs with the same seed.
     */
    public Value dropout(Value x, double ratio, long seed) {
        String out = g.freshName("dropout");
        String mask = g.freshName("dropout_mask");
        Value ratioV = scalar(x.dtype(), ratio);
        Value training = constant(TensorData.ofBools(new long[0], true));
        Value y = new Value(out, x.dtype(), x.shape());
        g.addNode(new Node("Dropout", List.of(x.name(), ratioV.name(), training.name()), List.of(out, mask),
                Map.of("seed", seed)), List.of(y, new Value(mask, DType.BOOL, x.shape())));
        return y;
    }

    // ---- composite activations ----------------------------------------------------------------

    /**
     * GELU, tanh approximation: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))). Works in float64.
     * Computed as x sigmoid(u) with u = 2 sqrt(2/pi) (x + 0.044715 x^3), the same function
     * (0.5 (1 + tanh(z)) = sigmoid(2z)) in six elementwise passes instead of nine, and with a
     * hand-derived gradient, s + y (1 - s) u'(x) with s = sigmoid(u) and y the output, that reuses
     * x^2, s and y: seven backward passes instead of fourteen through the nodes one by one. Where the
     * fused kernels are loaded, one pass each way ({@code GeluTanh}, {@code GeluTanhGrad}).
     */
    public Value geluTanh(Value x) {
        double k1 = 2 * Math.sqrt(2.0 / Math.PI), k3 = k1 * 0.044715;    // u = k1 x + k3 x^3
        Value square = mul(x, x);   // x * x rather than Pow: ONNX Runtime's Pow kernel is several times slower
        Value s = sigmoid(mul(x, add(mul(square, k3), k1)));
        Value y = mul(x, s);
        g.compositeGradient(y, new CompositeGradient(List.of(x), (o, dy) -> {
            Value slope = o.add(o.mul(square, 3 * k3), k1);                            // u'(x)
            Value oneMinusS = o.sub(o.scalar(x.dtype(), 1.0), s);
            Value derivative = o.add(o.mul(o.mul(y, slope), oneMinusS), s);
            Value dx = o.mul(dy, derivative);
            o.graph().fusedKernel("GeluTanhGrad", List.of(x, dy), List.of(dx));
            return List.of(dx);
        }));
        g.fusedKernel("GeluTanh", List.of(x), List.of(y));
        return y;
    }

    /** Exact GELU: 0.5 x (1 + erf(x / sqrt 2)). Float only (no float64 Erf kernel). */
    public Value geluExact(Value x) {
        return mul(mul(x, add(erf(mul(x, 1.0 / Math.sqrt(2.0))), 1.0)), 0.5);
    }

    public Value silu(Value x) {
        return mul(x, sigmoid(x));
    }

    /**
     * SwiGLU on packed gate and up projections (B, T, 2, I), gate first: silu(gate) up, (B, T, I). A hand-derived
     * gradient by the packed tensor, dgate = dy up s (1 + gate (1 - s)) with s = sigmoid(gate) and dup = dy silu(gate);
     * where the fused kernels are loaded, one pass each way ({@code SwiGlu}, {@code SwiGluGrad}).
     */
    public Value swiGlu(Value gateUp) {
        int axis = gateUp.shape().rank() - 2;
        List<Value> parts = split(gateUp, axis, 1, 1);
        Value gate = squeeze(parts.get(0), axis), up = squeeze(parts.get(1), axis);
        Value s = sigmoid(gate);
        Value activated = mul(gate, s);
        Value y = mul(activated, up);
        g.compositeGradient(y, new CompositeGradient(List.of(gateUp), (o, dy) -> {
            Value slope = o.mul(s, o.add(o.mul(gate, o.sub(o.scalar(gate.dtype(), 1.0), s)), 1.0));   // silu'(gate)
            Value dGate = o.mul(o.mul(dy, up), slope);
            Value dUp = o.mul(dy, activated);
            Value dGateUp = o.concat(axis, o.unsqueeze(dGate, axis), o.unsqueeze(dUp, axis));
            o.graph().fusedKernel("SwiGluGrad", List.of(dy, gateUp), List.of(dGateUp));
            return List.of(dGateUp);
        }));
        g.fusedKernel("SwiGlu", List.of(gateUp), List.of(y));
        return y;
    }

    /** log(sigmoid(x)) without overflow: min(x, 0) - log(1 + exp(-|x|)). */
    public Value logSigmoid(Value x) {
        Value zero = scalar(x.dtype(), 0.0);
        return sub(min(x, zero), log(add(exp(neg(abs(x))), 1.0)));
    }

    // ---- linear algebra -----------------------------------------------------------------------

    /** Batched matrix product of operands of rank 2 or more; batch dimensions broadcast. */
    public Value matMul(Value a, Value b) {
        sameType("MatMul", a, b);
        if (a.rank() < 2 || b.rank() < 2) {
            throw new IllegalArgumentException("MatMul operands need rank >= 2, got " + a + " and " + b);
        }
        Shape batch = Shape.broadcast(new Shape(a.shape().dims().subList(0, a.rank() - 2)),
                new Shape(b.shape().dims().subList(0, b.rank() - 2)));
        List<Dim> dims = new ArrayList<>(batch.dims());
        dims.add(a.shape().dim(-2));
        dims.add(b.shape().dim(-1));
        return op("MatMul", a.dtype(), new Shape(dims), Map.of(), a, b);
    }

    /** alpha * op(a) @ op(b) + beta * c for 2-D a and b; c may be null or broadcast to (M, N). */
    public Value gemm(Value a, Value b, Value c, boolean transA, boolean transB, double alpha, double beta) {
        sameType("Gemm", a, b);
        Dim m = a.shape().dim(transA ? 1 : 0);
        Dim n = b.shape().dim(transB ? 0 : 1);
        Map<String, Object> at = attrs("transA", transA ? 1L : 0L, "transB", transB ? 1L : 0L,
                "alpha", alpha, "beta", beta);
        return c == null ? op("Gemm", a.dtype(), new Shape(List.of(m, n)), at, a, b)
                : op("Gemm", a.dtype(), new Shape(List.of(m, n)), at, a, b, c);
    }

    // ---- normalisation and softmax ---------------------------------------------------------------

    public Value softmax(Value x, int axis) {
        return op("Softmax", x.dtype(), x.shape(), attrs("axis", (long) axis), x);
    }

    public Value logSoftmax(Value x, int axis) {
        return op("LogSoftmax", x.dtype(), x.shape(), attrs("axis", (long) axis), x);
    }

    /**
     * LayerNormalization over the last axis. For float32 the node also outputs the mean and inverse
     * standard deviation (B..., 1) it computes anyway, which the gradient reuses; ONNX Runtime
     * computes those in float32 whatever the input type, so float64 graphs recompute them instead.
     */
    public Value layerNorm(Value x, Value scale, Value bias, double epsilon) {
        Map<String, Object> at = attrs("axis", -1L, "epsilon", epsilon);
        Value[] inputs = bias == null ? new Value[] {x, scale} : new Value[] {x, scale, bias};
        if (x.dtype() != DType.FLOAT) return op("LayerNormalization", x.dtype(), x.shape(), at, inputs);
        Value y = new Value(g.freshName("layernormalization"), x.dtype(), x.shape());
        Shape stats = x.shape().with(x.rank() - 1, Dim.of(1));
        Value mean = new Value(g.freshName("layernorm_mean"), DType.FLOAT, stats);
        Value invStd = new Value(g.freshName("layernorm_inv_std"), DType.FLOAT, stats);
        g.addNode(new Node("LayerNormalization", java.util.Arrays.stream(inputs).map(Value::name).toList(),
                List.of(y.name(), mean.name(), invStd.name()), at), List.of(y, mean, invStd));
        return y;
    }

    /** RMSNorm over the last axis: x / sqrt(mean(x^2) + eps) * scale (no opset-18 operator exists). */
    public Value rmsNorm(Value x, Value scale, double epsilon) {
        Value meanSquare = reduceMean(mul(x, x), new long[] {-1}, true);
        return mul(div(x, sqrt(add(meanSquare, epsilon))), scale);
    }

    // ---- reductions -----------------------------------------------------------------------------

    private Value reduce(String opType, Value x, long[] axes, boolean keepDims) {
        List<Dim> dims = new ArrayList<>();
        boolean[] reduced = new boolean[x.rank()];
        for (long a : axes) reduced[x.shape().normalizeAxis((int) a)] = true;
        for (int i = 0; i < x.rank(); i++) {
            if (!reduced[i]) dims.add(x.shape().dim(i));
            else if (keepDims) dims.add(Dim.of(1));
        }
        return op(opType, x.dtype(), new Shape(dims), attrs("keepdims", keepDims ? 1L : 0L), x, ints(axes));
    }

    public Value reduceSum(Value x, long[] axes, boolean keepDims) { return reduce("ReduceSum", x, axes, keepDims); }
    public Value reduceMean(Value x, long[] axes, boolean keepDims) { return reduce("ReduceMean", x, axes, keepDims); }
    public Value reduceMax(Value x, long[] axes, boolean keepDims) { return reduce("ReduceMax", x, axes, keepDims); }

    /** Sum of all elements as a scalar. */
    public Value sumAll(Value x) {
        long[] axes = new long[x.rank()];
        for (int i = 0; i < axes.length; i++) axes[i] = i;
        return x.rank() == 0 ? x : reduceSum(x, axes, false);
    }

    public Value meanAll(Value x) {
        long[] axes = new long[x.rank()];
        for (int i = 0; i < axes.length; i++) axes[i] = i;
        return x.rank() == 0 ? x : reduceMean(x, axes, false);
    }
}
