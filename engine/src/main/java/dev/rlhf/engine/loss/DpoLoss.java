package dev.rlhf.engine.loss;

import dev.rlhf.engine.graph.Ops;
import dev.rlhf.engine.graph.Value;

/** Direct Preference Optimisation, sigmoid form (Rafailov et al. 2023): mean of -log sigmoid(beta h). */
public record DpoLoss(double beta) {
    public Value loss(Ops o, PreferencePair pair) {
        return o.neg(o.meanAll(o.logSigmoid(o.mul(pair.logRatioMargin(o), beta))));
    }

    /** The implicit rewards beta (log pi - log ref) of chosen and rejected, logged as metrics. */
    public Value chosenReward(Ops o, PreferencePair pair) {
        return o.mul(o.sub(pair.policyChosen(), pair.referenceChosen()), beta);
    }
}
