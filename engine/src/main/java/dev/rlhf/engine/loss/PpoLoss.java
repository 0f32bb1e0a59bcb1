package dev.rlhf.engine.loss;

import dev.rlhf.engine.graph.Ops;
import dev.rlhf.engine.graph.Value;

/**
 * PPO for language models (Schulman et al. 2017; Ouyang et al. 2022), per token, masked means:
 * policy:  max(-A ratio, -A clip(ratio, 1 - eps, 1 + eps)), ratio = exp(log pi - log pi_old)
 * value:   0.5 max((V - R)^2, (V_old + clip(V - V_old, -epsV, epsV) - R)^2)
 * KL:      log pi - log ref (the k1 estimator) as a penalty
 * total = policy + valueCoef * value + klCoef * KL. All inputs (B, T); only logProbs and values carry gradients.
 */
public record PpoLoss(double clipRange, double valueClipRange, double valueCoef, double klCoef) {

    /** The inputs of one PPO minibatch. */
    public record Batch(Value logProbs, Value oldLogProbs, Value referenceLogProbs, Value advantages,
                        Value values, Value oldValues, Value returns, Value mask) {
    }

    public Value loss(Ops o, Batch b) {
        return o.add(o.add(policyLoss(o, b), o.mul(valueLoss(o, b), valueCoef)), o.mul(klPenalty(o, b), klCoef));
    }

    public Value policyLoss(Ops o, Batch b) {
        Value ratio = o.exp(o.sub(b.logProbs(), b.oldLogProbs()));
        Value unclipped = o.neg(o.mul(b.advantages(), ratio));
        Value clipped = o.neg(o.mul(b.advantages(), o.clip(ratio, 1 - clipRange, 1 + clipRange)));
        return MaskedMean.of(o, o.max(unclipped, clipped), b.mask());
    }

    public Value valueLoss(Ops o, Batch b) {
        Value err = o.sub(b.values(), b.returns());
        Value clippedValues = o.add(b.oldValues(), o.clip(o.sub(b.values(), b.oldValues()), -valueClipRange, valueClipRange));
        Value clippedErr = o.sub(clippedValues, b.returns());
        return o.mul(MaskedMean.of(o, o.max(o.mul(err, err), o.mul(clippedErr, clippedErr)), b.mask()), 0.5);
    }

    public Value klPenalty(Ops o, Batch b) {
        return MaskedMean.of(o, o.sub(b.logProbs(), b.referenceLogProbs()), b.mask());
    }
}
