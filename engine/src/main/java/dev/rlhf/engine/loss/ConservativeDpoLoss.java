package dev.rlhf.engine.loss;

import dev.rlhf.engine.graph.Ops;
import dev.rlhf.engine.graph.Value;

/**
 * Conservative DPO (label smoothing): assumes a share {@code epsilon} of labels are flipped,
 * mean of -(1 - eps) log sigmoid(beta h) - eps log sigmoid(-beta h).
 */
public record ConservativeDpoLoss(double beta, double epsilon) {
    public Value loss(Ops o, PreferencePair pair) {
        Value scaled = o.mul(pair.logRatioMargin(o), beta);
        Value agree = o.mul(o.logSigmoid(scaled), 1 - epsilon);
        Value flipped = o.mul(o.logSigmoid(o.neg(scaled)), epsilon);
        return o.neg(o.meanAll(o.add(agree, flipped)));
    }
}
