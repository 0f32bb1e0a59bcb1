package dev.rlhf.engine.model;

import dev.rlhf.engine.graph.DType;

/**
 * The shape of a GPT-2-style decoder: the one record that builds the model, stored next to
 * its weights in checkpoints. Dimension letters used in comments: B batch, T time, C channels
 * (dModel), H heads, D head size (C / H), V vocabulary.
 */
public record GptConfig(int vocabSize, int contextLength, int layers, int dModel, int heads, DType dtype) {
    public GptConfig {
        if (dModel % heads != 0) {
            throw new IllegalArgumentException("dModel " + dModel + " is not divisible by heads " + heads);
        }
    }

    public int headSize() {
        return dModel / heads;
    }

    /** GPT-2 small: 12 layers, 12 heads, d=768, 50257 tokens, context 1024. */
    public static GptConfig gpt2Small(DType dtype) {
        return new GptConfig(50257, 1024, 12, 768, 12, dtype);
    }
}
