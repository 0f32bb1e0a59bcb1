package dev.rlhf.engine.model;

import dev.rlhf.engine.graph.Ops;
import dev.rlhf.engine.graph.TensorData;
import dev.rlhf.engine.graph.Value;
import dev.rlhf.engine.train.Parameters;
import java.util.Random;

/** A GPT-2-shaped language model: token and position embeddings, N decoder blocks, final norm, tied output head. */
public final class Gpt {
    private Gpt() {
    }

    public static Parameters init(GptConfig c, Random rng) {
        Parameters p = new Parameters();
        p.add("wte.weight", Parameters.normal(rng, c.dtype(), 0.02, c.vocabSize(), c.dModel()));
        p.add("wpe.weight", Parameters.normal(rng, c.dtype(), 0.01, c.contextLength(), c.dModel()));
        for (int i = 0; i < c.layers(); i++) DecoderBlock.init(p, "h." + i + ".", c, rng);
        p.add("ln_f.weight", Parameters.filled(c.dtype(), 1.0, c.dModel()));
        p.add("ln_f.bias", Parameters.filled(c.dtype(), 0.0, c.dModel()));
        return p;
    }

    /** Next-token logits (B, T, V) for int64 tokens (B, T); T must be static and at most the context length. */
    public static Value logits(Ops o, Parameters p, GptConfig c, Value tokens) {
        var g = o.graph();
        long t = tokens.shape().dim(1).size();
        Value wte = p.bind(g, "wte.weight");                                           // (V, C)
        Value positions = o.slice(p.bind(g, "wpe.weight"), new long[] {0}, new long[] {t}, new long[] {0}); // (T, C)
        Value x = o.add(o.gather(wte, tokens, 0), positions);                          // (B, T, C)
        Value causal = o.constant(causalMask(t));
        for (int i = 0; i < c.layers(); i++) x = DecoderBlock.forward(o, p, "h." + i + ".", c, x, causal);
        x = o.layerNorm(x, p.bind(g, "ln_f.weight"), p.bind(g, "ln_f.bias"), 1e-5);
        return o.matMul(x, o.transpose(wte, 1, 0));                                   // (B, T, V)
    }

    /** (T, T), true on and below the diagonal: position i sees positions 0..i. */
    public static TensorData causalMask(long t) {
        boolean[] m = new boolean[(int) (t * t)];
        for (int i = 0; i < t; i++) for (int j = 0; j <= i; j++) m[(int) (i * t + j)] = true;
        return TensorData.ofBools(new long[] {t, t}, m);
    }
}
