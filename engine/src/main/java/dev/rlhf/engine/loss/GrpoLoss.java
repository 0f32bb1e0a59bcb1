package dev.rlhf.engine.loss;

import dev.rlhf.engine.graph.Ops;
import dev.rlhf.engine.graph.Value;

/**
 * GRPO's policy loss: the PPO clipped surrogate with one advantage per sequence (from
 * {@link GroupAdvantages}) and a KL penalty to the reference by the k3 estimator
 * exp(ref - pi) - (ref - pi) - 1, averaged over each sequence's tokens, then over sequences.
 * logProbs, oldLogProbs, referenceLogProbs and mask are (B, T); advantages (B).
 */
public record GrpoLoss(double clipRange, double klCoef) {
    public Value loss(Ops o, Value logProbs, Value oldLogProbs, Value referenceLogProbs, Value advantages, Value mask) {
        Value adv = o.unsqueeze(advantages, 1);                                   // (B, 1)
        Value ratio = o.exp(o.sub(logProbs, oldLogProbs));
        Value surrogate = o.min(o.mul(ratio, adv), o.mul(o.clip(ratio, 1 - clipRange, 1 + clipRange), adv));
        Value refGap = o.sub(referenceLogProbs, logProbs);
        Value kl = o.sub(o.sub(o.exp(refGap), refGap), o.scalar(refGap.dtype(), 1.0));
        Value perToken = o.sub(o.mul(kl, klCoef), surrogate);                     // (B, T)
        Value perSequence = o.div(o.reduceSum(o.mul(perToken, mask), new long[] {1}, false),
                o.reduceSum(mask, new long[] {1}, false));                        // (B)
        return o.meanAll(perSequence);
    }
}
