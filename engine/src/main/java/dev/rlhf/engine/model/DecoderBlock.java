package dev.rlhf.engine.model;

import dev.rlhf.engine.graph.Ops;
import dev.rlhf.engine.graph.Value;
import dev.rlhf.engine.train.Lora;
import dev.rlhf.engine.train.Parameters;
import java.util.Random;

/**
 * A pre-norm transformer block as in GPT-2: x + attn(ln1(x)), then x + mlp(ln2(x)).
 * Parameter names follow the Hugging Face GPT-2 layout (h.N.attn.c_attn.weight, ...), with
 * weights stored (in, out) as GPT-2's Conv1D does, so imported checkpoints map one to one.
 */
public final class DecoderBlock {
    private DecoderBlock() {
    }

    public static void init(Parameters p, String prefix, GptConfig c, Random rng) {
        long d = c.dModel();
        // GPT-2 scales the residual projections by 1/sqrt(2 * layers) to keep the residual stream's variance flat
        double residualStd = 0.02 / Math.sqrt(2.0 * c.layers());
        p.add(prefix + "ln_1.weight", Parameters.filled(c.dtype(), 1.0, d));
        p.add(prefix + "ln_1.bias", Parameters.filled(c.dtype(), 0.0, d));
        p.add(prefix + "attn.c_attn.weight", Parameters.normal(rng, c.dtype(), 0.02, d, 3 * d));
        p.add(prefix + "attn.c_attn.bias", Parameters.filled(c.dtype(), 0.0, 3 * d));
        p.add(prefix + "attn.c_proj.weight", Parameters.normal(rng, c.dtype(), residualStd, d, d));
        p.add(prefix + "attn.c_proj.bias", Parameters.filled(c.dtype(), 0.0, d));
        p.add(prefix + "ln_2.weight", Parameters.filled(c.dtype(), 1.0, d));
        p.add(prefix + "ln_2.bias", Parameters.filled(c.dtype(), 0.0, d));
        p.add(prefix + "mlp.c_fc.weight", Parameters.normal(rng, c.dtype(), 0.02, d, 4 * d));
        p.add(prefix + "mlp.c_fc.bias", Parameters.filled(c.dtype(), 0.0, 4 * d));
        p.add(prefix + "mlp.c_proj.weight", Parameters.normal(rng, c.dtype(), residualStd, 4 * d, d));
        p.add(prefix + "mlp.c_proj.bias", Parameters.filled(c.dtype(), 0.0, d));
    }

    /** @param causal (T, T) bool, true where a query may attend to a key */
    public static Value forward(Ops o, Parameters p, String prefix, GptConfig c, Value x, Value causal) {
        var g = o.graph();
        Value h = o.layerNorm(x, p.bind(g, prefix + "ln_1.weight"), p.bind(g, prefix + "ln_1.bias"), 1e-5);
        x = o.add(x, attention(o, p, prefix + "attn.", c, h, causal));
        h = o.layerNorm(x, p.bind(g, prefix + "ln_2.weight"), p.bind(g, prefix + "ln_2.bias"), 1e-5);
        Value up = o.geluTanh(linear(o, p, prefix + "mlp.c_fc.", h));          // (B, T, 4C)
        return o.add(x, linear(o, p, prefix + "mlp.c_proj.", up));             // (B, T, C)
    }

    static Value linear(Ops o, Parameters p, String prefix, Value x) {
        var g = o.graph();
        Value y = o.add(o.matMul(x, p.bind(g, prefix + "weight")), p.bind(g, prefix + "bias"));
        return Lora.adapt(o, p, prefix + "weight", x, y);
    }

    private static Value attention(Ops o, Parameters p, String prefix, GptConfig c, Value x, Value causal) {
        Value qkv = linear(o, p, prefix + "c_attn.", x);                        // (B, T, 3C)
        // an additive mask is a constant that ONNX Runtime folds once, and its gradient is the identity,
        // where Where selects (and its gradient selects again) over the whole (B, H, T, T) scores
        Value hidden = o.where(causal, o.scalar(qkv.dtype(), 0.0), o.scalar(qkv.dtype(), -1e9));
        Value mixed = Attention.selfAttention(o, qkv, hidden, c.heads(), c.headSize());   // (B, T, C)
        return linear(o, p, prefix + "c_proj.", mixed);                          // (B, T, C)
    }
}
