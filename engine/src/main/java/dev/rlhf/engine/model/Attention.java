package dev.rlhf.engine.model;

import dev.rlhf.engine.graph.CompositeGradient;
import dev.rlhf.engine.graph.DType;
import dev.rlhf.engine.graph.Ops;
import dev.rlhf.engine.graph.Value;
import java.util.List;

/**
 * Scaled dot-product attention shared by the architectures: one additive mask built once per
 * forward (padding and causality together), a key/value cache concatenated in front of the new
 * positions, and grouped-query attention without copying keys: queries are laid out
 * (B, K, G, T, D) so that G query heads share one (B, K, 1, S, D) key head by MatMul broadcasting.
 * S = P + T is the number of key positions.
 */
final class Attention {
    /** Added to scores where a key is hidden: exp underflows to 0, yet rows of padding stay finite. */
    private static final double HIDDEN = -1e9;

    private Attention() {
    }

    /**
     * The additive mask (B, 1, 1, T, S): 0 where query t (absolute position S - T + t) may see key s,
     * that is s <= S - T + t and the key is a real token; {@value #HIDDEN} elsewhere.
     *
     * @param attentionMask (B, S) int64
     * @param inputIds      (B, T), only its runtime length is read
     */
    static Value additiveMask(Ops o, Value attentionMask, Value inputIds, DType dtype) {
        Value s = o.dimSize(attentionMask, 1);
        Value t = o.dimSize(inputIds, 1);
        Value keys = o.unsqueeze(o.range(o.scalar(DType.INT64, 0), s), 0);           // (1, S)
        Value queries = o.unsqueeze(o.range(o.sub(s, t), s), 1);                     // (T, 1)
        Value causal = o.not(o.greater(keys, queries));                              // (T, S)
        Value real = o.unsqueeze(o.cast(attentionMask, DType.BOOL), 1, 2, 3);        // (B, 1, 1, 1, S)
        Value allowed = o.and(causal, real);                                         // (B, 1, 1, T, S)
        return o.where(allowed, o.scalar(dtype, 0.0), o.scalar(dtype, HIDDEN));
    }

    /**
     * @param q    (B, K, G, T, D) queries, rotated if the model rotates
     * @param k    (B, K, S, D) keys including the cache
     * @param v    (B, K, S, D) values including the cache
     * @param mask (B, 1, 1, T, S) additive
     * @return (B, T, K * G * D), heads in Hugging Face order (query head h uses key head h / G)
     */
    static Value attend(Ops o, Value q, Value k, Value v, Value mask, int headSize) {
        long heads = q.shape().dim(1).size() * q.shape().dim(2).size();
        Value keysT = o.transposeLastTwo(o.unsqueeze(k, 2));                         // (B, K, 1, D, S)
        Value scores = o.matMul(o.mul(q, 1.0 / Math.sqrt(headSize)), keysT);          // (B, K, G, T, S)
        Value weights = o.softmax(o.add(scores, mask), -1);
        Value mixed = o.matMul(weights, o.unsqueeze(v, 2));                          // (B, K, G, T, D)
        Value perToken = o.transpose(mixed, 0, 3, 1, 2, 4);                          // (B, T, K, G, D)
        return o.reshape(perToken, 0, 0, heads * headSize);
    }

    /** Keys or values (B, T, K * D) of the new positions as (B, K, T, D), after the cache if one is given. */
    static Value heads(Ops o, Value x, int kvHeads, int headSize, Value past) {
        Value split = o.transpose(o.reshape(x, 0, 0, kvHeads, headSize), 0, 2, 1, 3); // (B, K, T, D)
        return past == null ? split : o.concat(2, past, split);                       // (B, K, S, D)
    }

    /** Queries (B, T, H * D) as (B, K, G, T, D). */
    static Value queryGroups(Ops o, Value x, int kvHeads, int group, int headSize) {
        Value split = o.reshape(x, 0, 0, kvHeads, group, headSize);                  // (B, T, K, G, D)
        return o.transpose(split, 0, 2, 3, 1, 4);
    }

    /**
     * Self-attention over one layer's packed projections without a cache, the training case: each head's
     * softmax(q k^T / sqrt(D) + mask) v. The nodes are the definition; on CPU the engine runs them, and
     * their hand-derived backward pass, as the fused kernels CausalAttention and CausalAttentionGrad
     * (engine/src/main/native/causal_attention.c), which skip the keys past each query's last visible one.
     *
     * @param qkv  (B, T, 3 * H * D): queries, keys, values, as GPT-2's c_attn computes them
     * @param mask (T, T), or (B, 1, T, T) per sequence, additive: 0 where query t sees key s, {@value #HIDDEN} where not
     * @return (B, T, H * D), heads in order
     */
    static Value selfAttention(Ops o, Value qkv, Value mask, long heads, long headSize) {
        double scale = 1.0 / Math.sqrt(headSize);
        Value packed = o.reshape(qkv, 0, 0, 3, heads, headSize);                      // (B, T, 3, H, D)
        List<Value> parts = o.split(packed, 2, 1, 1, 1);                            // 3 x (B, T, 1, H, D)
        Value q = perHead(o, parts.get(0), heads, headSize);                          // (B, H, T, D)
        Value k = perHead(o, parts.get(1), heads, headSize);
        Value v = perHead(o, parts.get(2), heads, headSize);
        Value scores = o.mul(o.matMul(q, o.transposeLastTwo(k)), scale);              // (B, H, T, T)
        Value weights = o.softmax(o.add(scores, mask), -1);
        Value mixed = o.transpose(o.matMul(weights, v), 0, 2, 1, 3);                  // (B, T, H, D)
        o.graph().compositeGradient(mixed, new CompositeGradient(List.of(packed), (ob, dMixed) -> {
            Value dOut = ob.transpose(dMixed, 0, 2, 1, 3);                              // (B, H, T, D)
            Value dScores = scoresGradient(ob, weights, ob.matMul(dOut, ob.transposeLastTwo(v)), scale);
            Value dq = ob.matMul(dScores, k);
            Value dk = ob.matMul(ob.transposeLastTwo(dScores), q);
            Value dv = ob.matMul(ob.transposeLastTwo(weights), dOut);
            Value dPacked = ob.concat(2, packedPart(ob, dq), packedPart(ob, dk), packedPart(ob, dv));
            ob.graph().fusedKernel("CausalAttentionGrad", List.of(dMixed, packed, weights, mask), List.of(dPacked));
            return List.of(dPacked);
        }));
        o.graph().fusedKernel("CausalAttention", List.of(packed, mask), List.of(mixed, weights));
        return o.reshape(mixed, 0, 0, heads * headSize);
    }

    /** The gradient by the unscaled scores q k^T from the weights' gradient: the softmax's backward pass, then the scale's. */
    private static Value scoresGradient(Ops o, Value weights, Value dWeights, double scale) {
        Value dot = o.reduceSum(o.mul(dWeights, weights), new long[] {-1}, true);
        return o.mul(o.mul(weights, o.sub(dWeights, dot)), scale);
    }

    /** One of q, k, v (B, T, 1, H, D) as (B, H, T, D). */
    private static Value perHead(Ops o, Value part, long heads, long headSize) {
        return o.transpose(o.reshape(part, 0, 0, heads, headSize), 0, 2, 1, 3);
    }

    /** A gradient (B, H, T, D) as its part (B, T, 1, H, D) of the packed projections. */
    private static Value packedPart(Ops o, Value perHead) {
        return o.unsqueeze(o.transpose(perHead, 0, 2, 1, 3), 2);
    }

    /**
     * Self-attention with grouped-query heads and no cache, the training case of Llama-family models: the
     * nodes are the definition; on CPU the engine runs them, and their hand-derived backward pass, as the
     * fused kernels GroupedAttention and GroupedAttentionGrad (engine/src/main/native).
     *
     * @param q    (B, T, K, G, D): G query heads per key/value head, rotated if the model rotates
     * @param k    (B, T, K, D) keys, rotated likewise
     * @param v    (B, T, K, D) values
     * @param mask (T, T), or (B, 1, T, T) per sequence, additive
     * @return (B, T, K * G * D), heads in Hugging Face order (query head h uses key head h / G)
     */
    static Value groupedSelfAttention(Ops o, Value q, Value k, Value v, Value mask, long headSize) {
        double scale = 1.0 / Math.sqrt(headSize);
        long heads = q.shape().dim(2).size() * q.shape().dim(3).size();
        Value queries = o.transpose(q, 0, 2, 3, 1, 4);                                 // (B, K, G, T, D)
        Value keys = o.unsqueeze(o.transpose(k, 0, 2, 1, 3), 2);                        // (B, K, 1, T, D)
        Value values = o.unsqueeze(o.transpose(v, 0, 2, 1, 3), 2);
        Value scores = o.mul(o.matMul(queries, o.transposeLastTwo(keys)), scale);       // (B, K, G, T, T)
        Value weights = o.softmax(o.add(scores, mask.shape().rank() == 4 ? o.unsqueeze(mask, 1) : mask), -1);
        Value out = o.transpose(o.matMul(weights, values), 0, 3, 1, 2, 4);              // (B, T, K, G, D)
        o.graph().compositeGradient(out, new CompositeGradient(List.of(q, k, v), (ob, dOut) -> {
            Value dMixed = ob.transpose(dOut, 0, 2, 3, 1, 4);                            // (B, K, G, T, D)
            Value dScores = scoresGradient(ob, weights, ob.matMul(dMixed, ob.transposeLastTwo(values)), scale);
            Value dq = ob.transpose(ob.matMul(dScores, keys), 0, 3, 1, 2, 4);
            // a key head's gradient adds up over the G query heads that read it
            Value dk = ob.transpose(ob.reduceSum(ob.matMul(ob.transposeLastTwo(dScores), queries), new long[] {2}, false), 0, 2, 1, 3);
            Value dv = ob.transpose(ob.reduceSum(ob.matMul(ob.transposeLastTwo(weights), dMixed), new long[] {2}, false), 0, 2, 1, 3);
            ob.graph().fusedKernel("GroupedAttentionGrad", List.of(dOut, q, k, v, weights, mask), List.of(dq, dk, dv));
            return List.of(dq, dk, dv);
        }));
        o.graph().fusedKernel("GroupedAttention", List.of(q, k, v, mask), List.of(out, weights));
        return o.reshape(out, 0, 0, heads * headSize);
    }
}
