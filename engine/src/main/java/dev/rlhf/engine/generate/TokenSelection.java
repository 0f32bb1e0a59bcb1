package dev.rlhf.engine.generate;

import dev.rlhf.engine.graph.Branches;
import dev.rlhf.engine.graph.DType;
import dev.rlhf.engine.graph.Ops;
import dev.rlhf.engine.graph.SearchOps;
import dev.rlhf.engine.graph.TensorData;
import dev.rlhf.engine.graph.Value;
import java.util.List;

/**
 * The graph that picks the next token of every row from its logits, in Hugging Face's order:
 * repetition penalty, then (sampling only) temperature, top-k, top-p, and a draw by inverse CDF
 * with one uniform per row. Settings are graph inputs, so one session serves all of them; the
 * sorting top-p needs runs only when top-p is below 1 (an {@code If}), and greedy decoding skips
 * sampling altogether. Letters: B batch, V vocabulary.
 */
final class TokenSelection {
    private TokenSelection() {
    }

    /** The settings as graph values: bool, float, int64, float, float scalars. */
    record Controls(Value greedy, Value temperature, Value topK, Value topP, Value repetitionPenalty) {
    }

    /**
     * @param token        (B) int64
     * @param logProb      (B) log-softmax of the logits the token was drawn from: after penalty,
     *                     temperature, top-k and top-p (greedy: after the penalty only)
     * @param modelLogProb (B) log-softmax of the model's raw logits: the policy's log-probability
     */
    record Choice(Value token, Value logProb, Value modelLogProb) {
    }

    /**
     * @param logits  (B, V) float
     * @param seen    (B, V) bool, the tokens the repetition penalty applies to (prompt and generated)
     * @param uniform (B) float in [0, 1)
     */
    static Choice choose(Ops o, Value logits, Value seen, Value uniform, Controls c) {
        long vocab = logits.shape().dim(1).size();
        Value modelLogProbs = o.logSoftmax(logits, -1);                                  // (B, V)
        Value penalized = o.where(seen,                                                 // (B, V)
                o.where(o.greater(logits, o.scalar(DType.FLOAT, 0)), o.div(logits, c.repetitionPenalty()),
                        o.mul(logits, c.repetitionPenalty())),
                logits);
        List<Value> picked = Branches.ifElse(o, c.greedy(),
                t -> greedy(t, penalized),
                s -> sample(s, penalized, uniform, c, vocab));
        Value token = picked.get(0);                                                     // (B, 1)
        Value modelLogProb = o.gatherElements(modelLogProbs, token, 1);
        return new Choice(o.squeeze(token, 1), o.squeeze(picked.get(1), 1), o.squeeze(modelLogProb, 1));
    }

    private static List<Value> greedy(Ops o, Value penalized) {
        Value token = new SearchOps(o).argMax(penalized, -1, true);                     // (B, 1)
        return List.of(token, o.gatherElements(o.logSoftmax(penalized, -1), token, 1));
    }

    private static List<Value> sample(Ops o, Value penalized, Value uniform, Controls c, long vocab) {
        SearchOps s = new SearchOps(o);
        Value scaled = o.div(penalized, c.temperature());                                // (B, V)
        Value topK = Branches.ifElse(o, o.greater(c.topK(), o.scalar(DType.INT64, 0)),
                t -> List.of(keepTopK(t, scaled, c.topK(), vocab)),
                n -> List.of(n.identity(scaled))).get(0);
        Value filtered = Branches.ifElse(o, o.less(c.topP(), o.scalar(DType.FLOAT, 1)),
                t -> List.of(keepTopP(t, topK, c.topP(), vocab)),
                n -> List.of(n.identity(topK))).get(0);
        Value cdf = s.cumSum(o.softmax(filtered, -1), 1, false);                        // (B, V)
        Value total = o.slice(cdf, new long[] {vocab - 1}, new long[] {vocab}, new long[] {1}); // (B, 1)
        Value target = o.mul(o.unsqueeze(uniform, 1), total);                           // (B, 1)
        // the first index whose running sum exceeds the target; zero-probability tokens never are
        Value below = o.reduceSum(o.cast(s.lessOrEqual(cdf, target), DType.INT64), new long[] {1}, true);
        Value token = o.min(below, o.scalar(DType.INT64, vocab - 1));                   // (B, 1)
        return List.of(token, o.gatherElements(o.logSoftmax(filtered, -1), token, 1));
    }

    /** Masks every logit below the k-th largest (ties with it stay), as HF's TopKLogitsWarper. */
    private static Value keepTopK(Ops o, Value scaled, Value k, long vocab) {
        SearchOps s = new SearchOps(o);
        Value kClamped = o.reshape(o.min(k, o.scalar(DType.INT64, vocab)), 1);
        Value largest = s.topK(scaled, kClamped).get(0);                                 // (B, k)
        Value kth = s.reduceMin(largest, new long[] {-1}, true);                         // (B, 1)
        return o.where(o.less(scaled, kth), negativeInfinity(o), scaled);
    }

    /**
     * Keeps the smallest set of most likely tokens whose probability reaches p: in descending
     * order, a token stays while the probability of the tokens before it is below p (HF's
     * TopPLogitsWarper, written over the descending sort; the first token always stays).
     */
    private static Value keepTopP(Ops o, Value logits, Value p, long vocab) {
        SearchOps s = new SearchOps(o);
        Value sorted = s.topK(logits, o.ints(vocab)).get(0);                             // (B, V) descending
        Value before = s.cumSum(o.softmax(sorted, -1), 1, true);                          // (B, V)
        Value kept = o.where(o.less(before, p), sorted, positiveInfinity(o));
        Value threshold = s.reduceMin(kept, new long[] {-1}, true);                       // (B, 1)
        return o.where(o.less(logits, threshold), negativeInfinity(o), logits);
    }

    private static Value negativeInfinity(Ops o) {
        return o.constant(TensorData.ofFloats(new long[0], Float.NEGATIVE_INFINITY));
    }

    private static Value positiveInfinity(Ops o) {
        return o.constant(TensorData.ofFloats(new long[0], Float.POSITIVE_INFINITY));
    }
}
