package dev.rlhf.engine.loss;

import dev.rlhf.engine.graph.Ops;
import dev.rlhf.engine.graph.Value;

/**
 * log p(completion | prompt) per sequence: the sum of token log-probabilities over the
 * completion positions ({@code mask} 1). The quantity that DPO, IPO, KTO and PPO compare.
 * Shapes: logits (B, T, V), targets (B, T), mask (B, T) -> (B).
 */
public final class SequenceLogProbs {
    private SequenceLogProbs() {
    }

    public static Value of(Ops o, Value logits, Value targets, Value mask) {
        Value perToken = TokenCrossEntropy.tokenLogProbs(o, logits, targets);
        return o.reduceSum(o.mul(perToken, mask), new long[] {1}, false);
    }
}
