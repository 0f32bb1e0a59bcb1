package dev.rlhf.engine.train;

import java.util.function.Predicate;

/**
 * Low-rank adapters (Hu et al. 2021): W x becomes W x + (alpha / rank) B A dropout(x) on the
 * weight matrices {@code targets} selects; only A and B train.
 */
public record LoraConfig(int rank, double alpha, double dropout, Predicate<String> targets) {
    public LoraConfig {
        if (rank < 1) throw new IllegalArgumentException("rank must be >= 1, got " + rank);
        if (dropout < 0 || dropout >= 1) throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
    }

    public double scale() {
        return alpha / rank;
    }

    /** The attention projections of every block (GPT-2 c_attn/c_proj, Llama q/k/v/o), the usual choice for preference tuning. */
    public static Predicate<String> attentionWeights() {
        return name -> name.endsWith("attn.c_attn.weight") || name.endsWith("attn.c_proj.weight")
                || name.matches(".*self_attn\\.[qkvo]_proj\\.weight");
    }

    /** Every attention and MLP projection of GPT-2 (c_attn, c_proj, c_fc) and Llama (q/k/v/o, gate/up/down). */
    public static Predicate<String> attentionAndMlpWeights() {
        return name -> name.matches(".*\\.(attn\\.c_attn|attn\\.c_proj|mlp\\.c_fc|mlp\\.c_proj"
                + "|self_attn\\.[qkvo]_proj|mlp\\.(gate|up|down)_proj)\\.weight");
    }
}
