package dev.rlhf.engine.loss;

import dev.rlhf.engine.graph.Ops;
import dev.rlhf.engine.graph.Value;

/**
 * Next-token cross-entropy averaged over the positions where {@code mask} is 1 (SFT: completion
 * tokens only; continued pre-training: every real token). Shapes: logits (B, T, V), targets
 * (B, T) int64, mask (B, T) of the logits' type.
 */
public final class TokenCrossEntropy {
    private TokenCrossEntropy() {
    }

    public static Value loss(Ops o, Value logits, Value targets, Value mask) {
        Value tokenLogProbs = tokenLogProbs(o, logits, targets);              // (B, T)
        Value total = o.sumAll(o.mul(tokenLogProbs, mask));
        return o.neg(o.div(total, o.sumAll(mask)));
    }

    /** log p(target) at every position: (B, T). */
    public static Value tokenLogProbs(Ops o, Value logits, Value targets) {
        Value logProbs = o.logSoftmax(logits, -1);                            // (B, T, V)
        Value picked = o.gatherElements(logProbs, o.unsqueeze(targets, -1), -1); // (B, T, 1)
        return o.squeeze(picked, -1);
    }
}
