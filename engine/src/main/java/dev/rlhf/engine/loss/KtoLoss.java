package dev.rlhf.engine.loss;

import dev.rlhf.engine.graph.Ops;
import dev.rlhf.engine.graph.Value;

/**
 * Kahneman-Tversky Optimisation (Ethayarajh et al. 2024) on unpaired thumbs-up / thumbs-down
 * judgments, as TRL computes it. With r = log pi(y) - log ref(y) and the reference point z0
 * (the batch KL estimate, fed as an input so no gradient flows into it):
 * desirable:   lambdaD (1 - sigmoid(beta (r - z0)))
 * undesirable: lambdaU (1 - sigmoid(beta (z0 - r)))
 * averaged over the batch. {@code desirable} is 1 or 0 per example, in the log-probs' type.
 * {@link #referencePoint} computes z0 in the graph from mismatched pairs, without gradient.
 */
public record KtoLoss(double beta, double desirableWeight, double undesirableWeight) {
    public Value loss(Ops o, Value policyLogProbs, Value referenceLogProbs, Value desirable, Value referencePoint) {
        Value r = o.sub(policyLogProbs, referenceLogProbs);
        Value one = o.scalar(r.dtype(), 1.0);
        Value up = o.sub(one, o.sigmoid(o.mul(o.sub(r, referencePoint), beta)));
        Value down = o.sub(one, o.sigmoid(o.mul(o.sub(referencePoint, r), beta)));
        Value perExample = o.add(o.mul(o.mul(up, desirable), desirableWeight),
                o.mul(o.mul(down, o.sub(one, desirable)), undesirableWeight));
        return o.meanAll(perExample);
    }

    /**
     * TRL's z0: the policy-to-reference KL estimated on mismatched (prompt, completion) pairs,
     * max(mean(log pi - log ref), 0), detached so that it only shifts the loss.
     */
    public static Value referencePoint(Ops o, Value mismatchedPolicyLogProbs, Value mismatchedReferenceLogProbs) {
        Value kl = o.meanAll(o.sub(mismatchedPolicyLogProbs, mismatchedReferenceLogProbs));
        return o.stopGradient(o.max(kl, o.scalar(kl.dtype(), 0.0)));
    }
}
