package dev.rlhf.engine.loss;

import dev.rlhf.engine.graph.Ops;
import dev.rlhf.engine.graph.Value;

/**
 * GRPO's advantages (Shao et al. 2024): each completion's reward standardised within the group
 * of completions sampled for the same prompt, (r - mean) / (std + eps), with the unbiased std
 * as torch.std computes it. Rewards (G, K) for G prompts and K completions each; K >= 2.
 */
public final class GroupAdvantages {
    private GroupAdvantages() {
    }

    public static Value of(Ops o, Value rewards, double epsilon) {
        long k = rewards.shape().dim(1).size();
        Value centred = o.sub(rewards, o.reduceMean(rewards, new long[] {1}, true));
        Value variance = o.mul(o.reduceSum(o.mul(centred, centred), new long[] {1}, true), 1.0 / (k - 1));
        return o.div(centred, o.add(o.sqrt(variance), epsilon));
    }
}
