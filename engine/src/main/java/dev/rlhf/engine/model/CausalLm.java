package dev.rlhf.engine.model;

import dev.rlhf.engine.graph.Ops;
import dev.rlhf.engine.graph.Value;
import java.util.List;

/**
 * A decoder-only language model that writes its forward pass into a graph under construction.
 * The same call serves training (no cache), prefill (no cache, returns one) and decoding
 * (a cache of P earlier positions, T new ones). Dimension letters: B batch, T new positions,
 * P cached positions, C hidden size, V vocabulary, K key/value heads, D head size.
 */
public interface CausalLm {
    /** The shape facts generation needs (layers, key/value heads, head size, vocabulary, special tokens). */
    LmShape shape();

    /**
     * @param inputIds      (B, T) int64 token ids
     * @param positionIds   (B, T) int64 positions (left padding makes them differ per row)
     * @param attentionMask (B, P + T) int64, 1 where a key position holds a real token, 0 for padding;
     *                      causality is added by the model
     * @param past          one cache per layer, keys and values (B, K, P, D); empty when there is no cache
     */
    Forward forward(Ops o, Value inputIds, Value positionIds, Value attentionMask, List<KvCache> past);

    /** Keys and values of one layer, (B, K, P, D) each. */
    record KvCache(Value keys, Value values) {
    }

    /**
     * @param logits  (B, T, V) next-token logits
     * @param hidden  (B, T, C) final hidden states after the last norm (a reward head reads these)
     * @param present one cache per layer, (B, K, P + T, D)
     */
    record Forward(Value logits, Value hidden, List<KvCache> present) {
    }

    /**
     * @param bosTokenId -1 when the model has none
     * @param eosTokenIds the tokens that end a sequence
     */
    record LmShape(int layers, int kvHeads, int headSize, int hiddenSize, int vocabSize, int maxPositions,
                   int bosTokenId, List<Integer> eosTokenIds) {
    }
}
