package dev.rlhf.engine.loss;

import dev.rlhf.engine.graph.Ops;
import dev.rlhf.engine.graph.Value;

/**
 * Sequence log-probabilities of a judged pair under the policy and the frozen reference, (B) each.
 * The reference values are inputs computed beforehand, so no gradient reaches them.
 */
public record PreferencePair(Value policyChosen, Value policyRejected, Value referenceChosen, Value referenceRejected) {

    /** h = (log pi(y_w) - log pi(y_l)) - (log ref(y_w) - log ref(y_l)): the implicit reward margin. */
    public Value logRatioMargin(Ops o) {
        return o.sub(o.sub(policyChosen, policyRejected), o.sub(referenceChosen, referenceRejected));
    }
}
