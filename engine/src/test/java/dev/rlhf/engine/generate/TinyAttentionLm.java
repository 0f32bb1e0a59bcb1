package dev.rlhf.engine.generate;

import dev.rlhf.engine.graph.DType;
import dev.rlhf.engine.graph.Ops;
import dev.rlhf.engine.graph.SearchOps;
import dev.rlhf.engine.graph.TensorData;
import dev.rlhf.engine.graph.Value;
import dev.rlhf.engine.model.CausalLm;
import dev.rlhf.engine.train.Lora;
import dev.rlhf.engine.train.Parameters;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A small causal language model for generation tests until the real architectures arrive:
 * token and learned position embeddings, two multi-head attention layers with a key/value cache
 * (masks from the attention mask and causality over symbolic lengths), and an output projection.
 */
final class TinyAttentionLm implements CausalLm {
    static final int VOCAB = 23, HIDDEN = 8, HEADS = 2, HEAD = 4, LAYERS = 2, POSITIONS = 64;
    private final Parameters p = new Parameters().training(false);

    TinyAttentionLm(long seed) {
        Random rng = new Random(seed);
        p.add("wte", Parameters.normal(rng, DType.FLOAT, 1.0, VOCAB, HIDDEN));
        p.add("wpe", Parameters.normal(rng, DType.FLOAT, 0.5, POSITIONS, HIDDEN));
        for (int l = 0; l < LAYERS; l++) {
            for (String w : List.of("q", "k", "v", "o")) {
                p.add(l + "." + w, Parameters.normal(rng, DType.FLOAT, 0.6, HIDDEN, HIDDEN));
            }
        }
        p.add("head", Parameters.normal(rng, DType.FLOAT, 1.5, HIDDEN, VOCAB));
        p.freeze(n -> true);
    }

    @Override
    public LmShape shape() {
        return new LmShape(LAYERS, HEADS, HEAD, HIDDEN, VOCAB, POSITIONS, -1, List.of());
    }

    @Override
    public Forward forward(Ops o, Value inputIds, Value positionIds, Value attentionMask, List<KvCache> past) {
        var g = o.graph();
        SearchOps s = new SearchOps(o);
        Value x = o.add(o.gather(p.bind(g, "wte"), inputIds, 0), o.gather(p.bind(g, "wpe"), positionIds, 0)); // (B, T, C)
        Value keyOk = o.unsqueeze(o.equal(attentionMask, o.scalar(DType.INT64, 1)), 1, 2);            // (B, 1, 1, P+T)
        Value total = o.gather(o.shapeOf(attentionMask), o.scalar(DType.INT64, 1), 0);
        Value fresh = o.gather(o.shapeOf(inputIds), o.scalar(DType.INT64, 1), 0);
        Value one = o.scalar(DType.INT64, 1);
        Value queryAt = s.range(o.sub(total, fresh), total, one);                                   // (T)
        Value keyAt = s.range(o.scalar(DType.INT64, 0), total, one);                                // (P+T)
        Value causal = s.lessOrEqual(o.unsqueeze(keyAt, 0), o.unsqueeze(queryAt, 1));               // (T, P+T)
        Value allowed = o.and(keyOk, causal);                                                        // (B, 1, T, P+T)
        List<KvCache> present = new ArrayList<>();
        for (int l = 0; l < LAYERS; l++) {
            Value q = heads(o, project(o, x, l + ".q"));                                             // (B, H, T, D)
            Value k = heads(o, project(o, x, l + ".k"));
            Value v = heads(o, project(o, x, l + ".v"));
            if (!past.isEmpty()) {
                k = o.concat(2, past.get(l).keys(), k);                                              // (B, H, P+T, D)
                v = o.concat(2, past.get(l).values(), v);
            }
            present.add(new KvCache(k, v));
            Value scores = o.mul(o.matMul(q, o.transposeLastTwo(k)), 1 / Math.sqrt(HEAD));          // (B, H, T, P+T)
            scores = o.where(allowed, scores, o.scalar(DType.FLOAT, -1e9));
            Value att = o.matMul(o.softmax(scores, -1), v);                                          // (B, H, T, D)
            Value merged = o.reshape(o.transpose(att, 0, 2, 1, 3), 0, 0, HIDDEN);                    // (B, T, C)
            x = o.add(x, o.tanh(o.matMul(merged, p.bind(g, l + ".o"))));
        }
        return new Forward(o.matMul(x, p.bind(g, "head")), x, present);                             // (B, T, V)
    }

    /** x W, plus the LoRA path when W has an adapter. */
    private Value project(Ops o, Value x, String weight) {
        return Lora.adapt(o, p, weight, x, o.matMul(x, p.bind(o.graph(), weight)));
    }

    private static Value heads(Ops o, Value x) {
        return o.transpose(o.reshape(x, 0, 0, HEADS, HEAD), 0, 2, 1, 3);
    }

    Parameters parameters() {
        return p;
    }
}
