package dev.rlhf.engine.model;

import dev.rlhf.engine.graph.Ops;
import dev.rlhf.engine.graph.Value;
import dev.rlhf.engine.train.Lora;
import dev.rlhf.engine.train.Parameters;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * GPT-2 as transformers builds {@code GPT2LMHeadModel}: learned positions, pre-norm LayerNorm
 * blocks, tanh GELU, Conv1D weights stored (in, out), head tied to the token embedding unless the
 * config unties it. Parameter names are the state-dict names ({@code transformer.h.0.attn.c_attn.weight}).
 * Letters: B batch, T new positions, S = P + T key positions, C hidden, H heads, D head size, V vocabulary.
 */
public final class Gpt2 extends DecoderLm {
    public static final String PREFIX = "transformer.";
    public static final String TOKENS = PREFIX + "wte.weight";
    public static final String POSITIONS = PREFIX + "wpe.weight";
    public static final String HEAD = "lm_head.weight";

    Gpt2(ModelConfig config, Parameters params) {
        super(config, params);
        params.storedOutByIn(n -> n.equals(HEAD) || n.equals(RewardModel.SCORE));
    }

    public static Map<String, long[]> parameterShapes(ModelConfig c) {
        long d = c.hiddenSize(), inner = c.intermediate();
        Map<String, long[]> s = new LinkedHashMap<>();
        s.put(TOKENS, new long[] {c.vocabSize(), d});
        s.put(POSITIONS, new long[] {c.maxPositions(), d});
        for (int i = 0; i < c.layers(); i++) {
            String p = layerPrefix(i);
            s.put(p + "ln_1.weight", new long[] {d});
            s.put(p + "ln_1.bias", new long[] {d});
            s.put(p + "attn.c_attn.weight", new long[] {d, 3 * d});
            s.put(p + "attn.c_attn.bias", new long[] {3 * d});
            s.put(p + "attn.c_proj.weight", new long[] {d, d});
            s.put(p + "attn.c_proj.bias", new long[] {d});
            s.put(p + "ln_2.weight", new long[] {d});
            s.put(p + "ln_2.bias", new long[] {d});
            s.put(p + "mlp.c_fc.weight", new long[] {d, inner});
            s.put(p + "mlp.c_fc.bias", new long[] {inner});
            s.put(p + "mlp.c_proj.weight", new long[] {inner, d});
            s.put(p + "mlp.c_proj.bias", new long[] {d});
        }
        s.put(PREFIX + "ln_f.weight", new long[] {d});
        s.put(PREFIX + "ln_f.bias", new long[] {d});
        if (!c.tiedEmbeddings()) s.put(HEAD, new long[] {c.vocabSize(), d});
        return s;
    }

    static String layerPrefix(int i) {
        return PREFIX + "h." + i + ".";
    }

    @Override
    protected Forward backbone(Ops o, Value inputIds, Value positionIds, Value attentionMask, List<KvCache> past) {
        var g = o.graph();
        Value x = o.add(o.gather(params.bind(g, TOKENS), inputIds, 0),
                o.gather(params.bind(g, POSITIONS), positionIds, 0));                 // (B, T, C)
        Value mask = Attention.additiveMask(o, attentionMask, inputIds, config.dtype()); // (B, 1, 1, T, S)
        if (past.isEmpty()) mask = o.squeeze(mask, 1);                                  // (B, 1, T, T)
        List<KvCache> present = new ArrayList<>();
        for (int i = 0; i < config.layers(); i++) {
            x = block(o, layerPrefix(i), x, mask, past.isEmpty() ? null : past.get(i), present);
        }
        Value hidden = layerNorm(o, x, PREFIX + "ln_f.");
        return new Forward(null, hidden, present);
    }

    @Override
    public Value lmHead(Ops o, Value hidden) {
        return o.matMul(hidden, o.transpose(headWeight(o, HEAD, TOKENS), 1, 0));      // (B, T, V)
    }

    private Value block(Ops o, String prefix, Value x, Value mask, KvCache past, List<KvCache> present) {
        Value h = layerNorm(o, x, prefix + "ln_1.");
        x = o.add(x, attention(o, prefix + "attn.", h, mask, past, present));
        h = layerNorm(o, x, prefix + "ln_2.");
        Value up = linear(o, prefix + "mlp.c_fc.", h);                                 // (B, T, I)
        Value act = config.activation().equals("gelu") ? o.geluExact(up) : o.geluTanh(up);
        return o.add(x, linear(o, prefix + "mlp.c_proj.", act));                      // (B, T, C)
    }

    /** @param mask (B, 1, 1, T, S) with a cache, (B, 1, T, T) without */
    private Value attention(Ops o, String prefix, Value x, Value mask, KvCache past, List<KvCache> present) {
        long d = config.hiddenSize();
        int heads = config.heads(), hs = config.headSize();
        Value packed = linear(o, prefix + "c_attn.", x);                                 // (B, T, 3C)
        List<Value> qkv = o.split(packed, -1, d, d, d);                                 // 3 x (B, T, C)
        Value keys = Attention.heads(o, qkv.get(1), heads, hs, past == null ? null : past.keys());     // (B, H, S, D)
        Value values = Attention.heads(o, qkv.get(2), heads, hs, past == null ? null : past.values());
        present.add(new KvCache(keys, values));   // computed only where read: by generation, not by training
        Value mixed = past == null
                ? Attention.selfAttention(o, packed, mask, heads, hs)                   // the fused kernels' form
                : Attention.attend(o, Attention.queryGroups(o, qkv.get(0), heads, 1, hs), keys, values, mask, hs);
        return linear(o, prefix + "c_proj.", mixed);
    }

    private Value linear(Ops o, String prefix, Value x) {
        var g = o.graph();
        Value y = o.add(o.matMul(x, params.bind(g, prefix + "weight")), params.bind(g, prefix + "bias"));
        return Lora.adapt(o, params, prefix + "weight", x, y);
    }

    private Value layerNorm(Ops o, Value x, String prefix) {
        var g = o.graph();
        return o.layerNorm(x, params.bind(g, prefix + "weight"), params.bind(g, prefix + "bias"), config.normEpsilon());
    }
}
