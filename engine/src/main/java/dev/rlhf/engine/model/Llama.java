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
 * Llama (SmolLM, TinyLlama, Llama-3 style): RMSNorm, rotary embeddings, grouped-query attention,
 * SwiGLU MLP, tied or untied head, no biases. Parameters carry Hugging Face's state-dict names
 * and layout: Linear weights are (out, in), applied as x W^T (a Transpose of a frozen weight is
 * folded once by ONNX Runtime; of a trained one it fuses into the MatMul). q, k and v are one
 * MatMul against their concatenation, as are gate and up; LoRA adapters attach per projection.
 * Letters: B batch, T new positions, S = P + T key positions, C hidden, H query heads,
 * K key/value heads, G = H / K, D head size, I MLP width, V vocabulary.
 */
public final class Llama extends DecoderLm {
    public static final String EMBED = "model.embed_tokens.weight";
    public static final String NORM = "model.norm.weight";
    public static final String HEAD = "lm_head.weight";

    Llama(ModelConfig config, Parameters params) {
        super(config, params);
        params.storedOutByIn(n -> n.endsWith("_proj.weight") || n.equals(HEAD) || n.equals(RewardModel.SCORE));
    }

    /** Every parameter of the backbone and LM head, by Hugging Face name, with its shape. */
    public static Map<String, long[]> parameterShapes(ModelConfig c) {
        long hidden = c.hiddenSize(), q = (long) c.heads() * c.headSize(), kv = (long) c.kvHeads() * c.headSize();
        Map<String, long[]> s = new LinkedHashMap<>();
        s.put(EMBED, new long[] {c.vocabSize(), hidden});
        for (int i = 0; i < c.layers(); i++) {
            String p = layerPrefix(i);
            s.put(p + "input_layernorm.weight", new long[] {hidden});
            s.put(p + "self_attn.q_proj.weight", new long[] {q, hidden});
            s.put(p + "self_attn.k_proj.weight", new long[] {kv, hidden});
            s.put(p + "self_attn.v_proj.weight", new long[] {kv, hidden});
            s.put(p + "self_attn.o_proj.weight", new long[] {hidden, q});
            s.put(p + "post_attention_layernorm.weight", new long[] {hidden});
            s.put(p + "mlp.gate_proj.weight", new long[] {c.intermediate(), hidden});
            s.put(p + "mlp.up_proj.weight", new long[] {c.intermediate(), hidden});
            s.put(p + "mlp.down_proj.weight", new long[] {hidden, c.intermediate()});
        }
        s.put(NORM, new long[] {hidden});
        if (!c.tiedEmbeddings()) s.put(HEAD, new long[] {c.vocabSize(), hidden});
        return s;
    }

    static String layerPrefix(int i) {
        return "model.layers." + i + ".";
    }

    @Override
    protected Forward backbone(Ops o, Value inputIds, Value positionIds, Value attentionMask, List<KvCache> past) {
        var g = o.graph();
        Value x = o.gather(params.bind(g, EMBED), inputIds, 0);                        // (B, T, C)
        Value mask = Attention.additiveMask(o, attentionMask, inputIds, config.dtype()); // (B, 1, 1, T, S)
        if (past.isEmpty()) mask = o.squeeze(mask, 1);                                  // (B, 1, T, T)
        RotaryEmbedding.Tables rotary = RotaryEmbedding.lookup(o, config, positionIds);  // (B, T, 1, D) each
        List<KvCache> present = new ArrayList<>();
        for (int i = 0; i < config.layers(); i++) {
            x = block(o, layerPrefix(i), x, mask, rotary, past.isEmpty() ? null : past.get(i), present);
        }
        Value hidden = rmsNorm(o, x, NORM);
        return new Forward(null, hidden, present);
    }

    @Override
    public Value lmHead(Ops o, Value hidden) {
        Value w = headWeight(o, HEAD, EMBED);                                          // (V, C)
        return o.matMul(hidden, o.transpose(w, 1, 0));                                 // (B, T, V)
    }

    private Value block(Ops o, String prefix, Value x, Value mask, RotaryEmbedding.Tables rotary, KvCache past,
                        List<KvCache> present) {
        Value h = rmsNorm(o, x, prefix + "input_layernorm.weight");
        x = o.add(x, attention(o, prefix + "self_attn.", h, mask, rotary, past, present));
        h = rmsNorm(o, x, prefix + "post_attention_layernorm.weight");
        return o.add(x, mlp(o, prefix + "mlp.", h));
    }

    /**
     * One MatMul for q, k and v; queries and keys rotate together as (B, T, H + K, D) heads; then
     * queries are grouped (B, K, G, T, D) and keys and values appended to the cache (B, K, S, D).
     */
    private Value attention(Ops o, String prefix, Value x, Value mask, RotaryEmbedding.Tables rotary, KvCache past,
                            List<KvCache> present) {
        int h = config.heads(), k = config.kvHeads(), d = config.headSize();
        Value qkv = projections(o, x, prefix, new String[] {"q_proj", "k_proj", "v_proj"},
                (long) h * d, (long) k * d, (long) k * d);                                    // (B, T, (H + 2K) D)
        List<Value> qkAndV = o.split(o.reshape(qkv, 0, 0, h + 2L * k, d), 2, h + k, k);     // (B, T, H + K, D), (B, T, K, D)
        List<Value> qk = o.split(RotaryEmbedding.rotate(o, qkAndV.get(0), rotary), 2, h, k);
        Value grouped = o.reshape(qk.get(0), 0, 0, k, config.groupSize(), d);                // (B, T, K, G, D)
        Value keys = o.transpose(qk.get(1), 0, 2, 1, 3);                                    // (B, K, T, D)
        Value values = o.transpose(qkAndV.get(1), 0, 2, 1, 3);
        if (past != null) {
            keys = o.concat(2, past.keys(), keys);                                          // (B, K, S, D)
            values = o.concat(2, past.values(), values);
        }
        present.add(new KvCache(keys, values));   // computed only where read: by generation, not by training
        Value mixed = past == null                                                          // (B, T, H * D)
                ? Attention.groupedSelfAttention(o, grouped, qk.get(1), qkAndV.get(1), mask, d)   // the fused kernels' form
                : Attention.attend(o, o.transpose(grouped, 0, 2, 3, 1, 4), keys, values, mask, d);
        return linear(o, mixed, prefix + "o_proj.weight");
    }

    private Value mlp(Ops o, String prefix, Value x) {
        long width = config.intermediate();
        Value gateUp = o.reshape(projections(o, x, prefix, new String[] {"gate_proj", "up_proj"}, width, width), 0, 0, 2, width);
        return linear(o, o.swiGlu(gateUp), prefix + "down_proj.weight");                  // (B, T, C)
    }

    /**
     * Several projections of the same input as one MatMul against their stacked (out, in) weights,
     * (B, T, sum out). With LoRA adapters on any of them, each part gets its own adapter.
     */
    private Value projections(Ops o, Value x, String prefix, String[] names, long... widths) {
        var g = o.graph();
        Value[] weights = new Value[names.length];
        for (int i = 0; i < names.length; i++) weights[i] = params.bind(g, prefix + names[i] + ".weight");
        Value y = o.matMul(x, o.transpose(o.concat(0, weights), 1, 0));
        boolean adapted = false;
        for (String n : names) adapted |= params.has(prefix + n + ".weight" + Lora.A);
        if (!adapted) return y;
        List<Value> parts = new ArrayList<>(o.split(y, -1, widths));
        for (int i = 0; i < names.length; i++) parts.set(i, Lora.adapt(o, params, prefix + names[i] + ".weight", x, parts.get(i)));
        return o.concat(-1, parts.toArray(Value[]::new));
    }

    private Value linear(Ops o, Value x, String weight) {
        Value y = o.matMul(x, o.transpose(params.bind(o.graph(), weight), 1, 0));
        return Lora.adapt(o, params, weight, x, y);
    }

    /** x / sqrt(mean(x^2) + eps) * w, written with Pow so ONNX Runtime fuses it into SimplifiedLayerNormalization. */
    private Value rmsNorm(Ops o, Value x, String weight) {
        Value meanSquare = o.reduceMean(o.pow(x, 2.0), new long[] {-1}, true);
        return o.mul(o.div(x, o.sqrt(o.add(meanSquare, config.normEpsilon()))), params.bind(o.graph(), weight));
    }
}
