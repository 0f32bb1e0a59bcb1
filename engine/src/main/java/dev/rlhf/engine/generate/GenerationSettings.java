package dev.rlhf.engine.generate;

import java.util.List;

/**
 * How to pick tokens. Greedy ignores temperature, top-k, top-p and the seed; the repetition
 * penalty (Hugging Face's: over the prompt and the generated tokens, positive logits divided by
 * it, negative ones multiplied) applies in both modes. {@code topK} 0 and {@code topP} 1 turn
 * those filters off. The same seed, prompts and batch order give the same tokens.
 */
public record GenerationSettings(int maxNewTokens, boolean greedy, double temperature, int topK, double topP,
                                 double repetitionPenalty, List<Integer> stopTokens, long seed) {
    public GenerationSettings {
        if (maxNewTokens < 1) throw new IllegalArgumentException("maxNewTokens must be >= 1, got " + maxNewTokens);
        if (!greedy && !(temperature > 0)) throw new IllegalArgumentException("temperature must be > 0, got " + temperature);
        if (topK < 0) throw new IllegalArgumentException("topK must be >= 0 (0 = off), got " + topK);
        if (!(topP > 0 && topP <= 1)) throw new IllegalArgumentException("topP must be in (0, 1], got " + topP);
        if (!(repetitionPenalty > 0)) throw new IllegalArgumentException("repetitionPenalty must be > 0, got " + repetitionPenalty);
        stopTokens = List.copyOf(stopTokens);
    }

    public static GenerationSettings greedy(int maxNewTokens, List<Integer> stopTokens) {
        return new GenerationSettings(maxNewTokens, true, 1, 0, 1, 1, stopTokens, 0);
    }

    public static GenerationSettings sampling(int maxNewTokens, double temperature, double topP, long seed,
                                              List<Integer> stopTokens) {
        return new GenerationSettings(maxNewTokens, false, temperature, 0, topP, 1, stopTokens, seed);
    }

    public GenerationSettings withTopK(int k) {
        return new GenerationSettings(maxNewTokens, greedy, temperature, k, topP, repetitionPenalty, stopTokens, seed);
    }

    public GenerationSettings withRepetitionPenalty(double penalty) {
        return new GenerationSettings(maxNewTokens, greedy, temperature, topK, topP, penalty, stopTokens, seed);
    }

    public GenerationSettings withSeed(long s) {
        return new GenerationSettings(maxNewTokens, greedy, temperature, topK, topP, repetitionPenalty, stopTokens, s);
    }
}
