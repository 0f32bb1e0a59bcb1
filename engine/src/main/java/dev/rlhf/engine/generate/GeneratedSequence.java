package dev.rlhf.engine.generate;

import java.util.List;

/**
 * The new tokens of one prompt, up to and including its stop token, with per-token log-probabilities:
 * {@code logProbs} from the distribution the token was drawn from (after penalty, temperature,
 * top-k, top-p; greedy: after the penalty), {@code modelLogProbs} from the model's own logits,
 * the policy log-probability PPO needs.
 */
public record GeneratedSequence(List<Integer> tokens, float[] logProbs, float[] modelLogProbs, boolean stopped) {
    public int length() {
        return tokens.size();
    }
}
