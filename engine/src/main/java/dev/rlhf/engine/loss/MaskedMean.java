package dev.rlhf.engine.loss;

import dev.rlhf.engine.graph.Ops;
import dev.rlhf.engine.graph.Value;

/** Mean over the positions where mask is 1: padding and prompt tokens do not count. */
final class MaskedMean {
    private MaskedMean() {
    }

    static Value of(Ops o, Value x, Value mask) {
        return o.div(o.sumAll(o.mul(x, mask)), o.sumAll(mask));
    }
}
