package dev.rlhf.engine.graph;

import java.util.List;
import java.util.function.BiFunction;

/**
 * A hand-derived backward pass for a value computed by several nodes (a composite such as GELU):
 * autodiff maps the value's gradient to gradients of {@code inputs} with {@code backward} instead of
 * differentiating node by node, so the backward pass can reuse forward intermediates and touch each
 * full-size tensor fewer times. {@code backward} returns one gradient per input, in order.
 */
public record CompositeGradient(List<Value> inputs, BiFunction<Ops, Value, List<Value>> backward) {
    public CompositeGradient {
        inputs = List.copyOf(inputs);
    }
}
