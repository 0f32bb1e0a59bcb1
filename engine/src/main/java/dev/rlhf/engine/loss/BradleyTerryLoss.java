package dev.rlhf.engine.loss;

import dev.rlhf.engine.graph.Ops;
import dev.rlhf.engine.graph.Value;

/**
 * Pairwise reward-model loss: mean of -log sigmoid(r_chosen - r_rejected - margin), with the
 * margin expressing how strongly the rater preferred the chosen completion (0 for none).
 * Shapes: (B) each. The accuracy metric is the share of pairs ranked the right way.
 */
public final class BradleyTerryLoss {
    private BradleyTerryLoss() {
    }

    public static Value loss(Ops o, Value chosenRewards, Value rejectedRewards, Value margin) {
        Value diff = o.sub(chosenRewards, rejectedRewards);
        if (margin != null) diff = o.sub(diff, margin);
        return o.neg(o.meanAll(o.logSigmoid(diff)));
    }

    public static Value accuracy(Ops o, Value chosenRewards, Value rejectedRewards) {
        return o.meanAll(o.cast(o.greater(chosenRewards, rejectedRewards), chosenRewards.dtype()));
    }
}
