package dev.rlhf.engine.autodiff;

import static dev.rlhf.engine.autodiff.Broadcasting.sumToShape;

import dev.rlhf.engine.graph.Ops;
import dev.rlhf.engine.graph.Value;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Backward rules of elementwise arithmetic, activations, Where, Clip and Cast. */
final class ElementwiseGradients {
    private ElementwiseGradients() {
    }

    static void register(Map<String, GradientRule> r) {
        r.put("Add", c -> binary(c, c.grad(), c.grad()));
        r.put("Sub", c -> binary(c, c.grad(), c.needs(1) ? c.ops().neg(c.grad()) : null));
        r.put("Mul", c -> binary(c,
                c.needs(0) ? c.ops().mul(c.grad(), c.input(1)) : null,
                c.needs(1) ? c.ops().mul(c.grad(), c.input(0)) : null));
        r.put("Div", c -> binary(c,
                c.needs(0) ? c.ops().div(c.grad(), c.input(1)) : null,
                // d(a/b)/db = -(a/b)/b
                c.needs(1) ? c.ops().neg(c.ops().div(c.ops().mul(c.grad(), c.output(0)), c.input(1))) : null));
        r.put("Pow", ElementwiseGradients::pow);
        r.put("Min", c -> select(c, c.ops().greater(c.input(0), c.input(1))));
        r.put("Max", c -> select(c, c.ops().less(c.input(0), c.input(1))));
        r.put("Where", ElementwiseGradients::where);
        r.put("Clip", ElementwiseGradients::clip);
        r.put("Cast", c -> List.of(c.ops().cast(c.grad(), c.input(0).dtype())));
        r.put("Identity", c -> List.of(c.grad()));
        r.put("Dropout", c -> {
            // the same mask the forward pass drew (second output), with the same 1 / (1 - ratio) scale
            Ops o = c.ops();
            Value kept = o.cast(c.output(1), c.grad().dtype());
            Value scale = o.div(o.scalar(c.grad().dtype(), 1.0), o.sub(o.scalar(c.grad().dtype(), 1.0), c.input(1)));
            return Arrays.asList(o.mul(o.mul(c.grad(), kept), scale), null, null);
        });

        r.put("Neg", c -> List.of(c.ops().neg(c.grad())));
        r.put("Exp", c -> List.of(c.ops().mul(c.grad(), c.output(0))));
        r.put("Log", c -> List.of(c.ops().div(c.grad(), c.input(0))));
        r.put("Sqrt", c -> List.of(c.ops().div(c.ops().mul(c.grad(), 0.5), c.output(0))));
        r.put("Reciprocal", c -> List.of(c.ops().neg(c.ops().mul(c.grad(), c.ops().mul(c.output(0), c.output(0))))));
        r.put("Abs", c -> List.of(c.ops().mul(c.grad(), c.ops().sign(c.input(0)))));
        r.put("Tanh", c -> {
            Ops o = c.ops();
            Value y = c.output(0);
            return List.of(o.mul(c.grad(), o.sub(o.scalar(y.dtype(), 1.0), o.mul(y, y))));
        });
        r.put("Sigmoid", c -> {
            Ops o = c.ops();
            Value y = c.output(0);
            return List.of(o.mul(c.grad(), o.mul(y, o.sub(o.scalar(y.dtype(), 1.0), y))));
        });
        r.put("Relu", c -> {
            Ops o = c.ops();
            Value x = c.input(0);
            return List.of(o.where(o.greater(x, o.scalar(x.dtype(), 0.0)), c.grad(), o.scalar(x.dtype(), 0.0)));
        });
        r.put("Erf", c -> {
            // d erf(x)/dx = 2/sqrt(pi) exp(-x^2)
            Ops o = c.ops();
            Value x = c.input(0);
            return List.of(o.mul(o.mul(c.grad(), o.exp(o.neg(o.mul(x, x)))), 2.0 / Math.sqrt(Math.PI)));
        });
    }

    private static List<Value> binary(GradientContext c, Value gradA, Value gradB) {
        return Arrays.asList(
                c.needs(0) ? sumToShape(c.ops(), gradA, c.input(0)) : null,
                c.needs(1) ? sumToShape(c.ops(), gradB, c.input(1)) : null);
    }

    private static List<Value> pow(GradientContext c) {
        Ops o = c.ops();
        Value a = c.input(0), b = c.input(1), g = c.grad();
        Value ga = null, gb = null;
        if (c.needs(0)) {
            // b * a^(b-1); written as b * y / a it would divide by zero at a = 0. A square (RMSNorm's mean square) is
            // 2 a: ONNX Runtime's Pow kernel runs several times slower than a Mul.
            ga = c.constantScalar(1).orElse(Double.NaN) == 2.0
                    ? o.mul(g, o.mul(a, 2.0))
                    : o.mul(g, o.mul(b, o.pow(a, o.sub(b, o.scalar(b.dtype(), 1.0)))));
        }
        if (c.needs(1)) {
            gb = o.mul(g, o.mul(c.output(0), o.log(a)));
        }
        return binary(c, ga, gb);
    }

    /** Min and Max: the gradient goes to the operand that was chosen; {@code pickB} says where that is b. */
    private static List<Value> select(GradientContext c, Value pickB) {
        Ops o = c.ops();
        Value zero = o.scalar(c.grad().dtype(), 0.0);
        return binary(c,
                c.needs(0) ? o.where(pickB, zero, c.grad()) : null,
                c.needs(1) ? o.where(pickB, c.grad(), zero) : null);
    }

    private static List<Value> where(GradientContext c) {
        Ops o = c.ops();
        Value cond = c.input(0);
        Value zero = o.scalar(c.grad().dtype(), 0.0);
        return Arrays.asList(null,
                c.needs(1) ? sumToShape(o, o.where(cond, c.grad(), zero), c.input(1)) : null,
                c.needs(2) ? sumToShape(o, o.where(cond, zero, c.grad()), c.input(2)) : null);
    }

    /** Clip passes the gradient inside [min, max] and blocks it outside; bounds get none. */
    private static List<Value> clip(GradientContext c) {
        Ops o = c.ops();
        Value x = c.input(0);
        Value zero = o.scalar(x.dtype(), 0.0);
        Value g = c.grad();
        if (c.inputCount() > 1 && c.input(1) != null) g = o.where(o.less(x, c.input(1)), zero, g);
        if (c.inputCount() > 2 && c.input(2) != null) g = o.where(o.greater(x, c.input(2)), zero, g);
        return List.of(g);
    }
}
