package dev.rlhf.engine.generate;

import dev.rlhf.engine.graph.DType;
import dev.rlhf.engine.graph.Dim;
import dev.rlhf.engine.graph.GraphBuilder;
import dev.rlhf.engine.graph.Loop;
import dev.rlhf.engine.graph.Ops;
import dev.rlhf.engine.graph.SearchOps;
import dev.rlhf.engine.graph.Shape;
import dev.rlhf.engine.graph.TensorData;
import dev.rlhf.engine.graph.Value;
import dev.rlhf.engine.model.CausalLm;
import dev.rlhf.engine.model.DecoderLm;
import dev.rlhf.engine.model.CausalLm.KvCache;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One ONNX graph that generates for a batch: prefill of the left-padded prompts, then an ONNX
 * {@code Loop} that picks a token, appends it, and runs the model on it with the key/value cache
 * as loop-carried values, until every row has emitted a stop token or the uniforms run out.
 * One {@code OrtSession.run} per batch. Letters: B batch, S prompt length, N new tokens,
 * V vocabulary, P cached positions, L layers, E stop tokens.
 *
 * <p>Inputs: {@value #INPUT_IDS} (B, S) int64, {@value #ATTENTION_MASK} (B, S) int64,
 * {@value #UNIFORMS} (B, N) float (one draw per row and step; N is the maximum of new tokens),
 * {@value #STOP_TOKENS} (E) int64, and the scalars {@value #GREEDY} (bool), {@value #TEMPERATURE},
 * {@value #TOP_K} (int64, 0 = off), {@value #TOP_P} (1 = off), {@value #REPETITION_PENALTY} (1 = off).
 * Outputs: {@value #TOKENS}, {@value #LOG_PROBS}, {@value #MODEL_LOG_PROBS} (B, steps) and
 * {@value #LENGTHS} (B) int64; after a row's stop token its tokens are {@value #PAD} and log-probs 0.
 */
public final class GenerationGraph {
    public static final String INPUT_IDS = "input_ids";
    public static final String ATTENTION_MASK = "attention_mask";
    public static final String UNIFORMS = "uniforms";
    public static final String STOP_TOKENS = "stop_tokens";
    public static final String GREEDY = "greedy";
    public static final String TEMPERATURE = "temperature";
    public static final String TOP_K = "top_k";
    public static final String TOP_P = "top_p";
    public static final String REPETITION_PENALTY = "repetition_penalty";
    public static final String TOKENS = "tokens";
    public static final String LOG_PROBS = "log_probs";
    public static final String MODEL_LOG_PROBS = "model_log_probs";
    public static final String LENGTHS = "lengths";
    /** What a finished row emits. */
    public static final long PAD = 0;

    private GenerationGraph() {
    }

    public static GraphBuilder build(CausalLm model) {
        CausalLm.LmShape shape = model.shape();
        long vocab = shape.vocabSize();
        GraphBuilder g = new GraphBuilder("generate");
        Ops o = new Ops(g);
        SearchOps s = new SearchOps(o);
        Value ids = g.input(INPUT_IDS, DType.INT64, Shape.symbolic("batch", "prompt"));
        Value mask = g.input(ATTENTION_MASK, DType.INT64, Shape.symbolic("batch", "prompt"));
        Value uniforms = g.input(UNIFORMS, DType.FLOAT, Shape.symbolic("batch", "new_tokens"));
        Value stops = g.input(STOP_TOKENS, DType.INT64, Shape.symbolic("stop_tokens"));
        TokenSelection.Controls controls = new TokenSelection.Controls(
                g.input(GREEDY, DType.BOOL, Shape.scalar()),
                g.input(TEMPERATURE, DType.FLOAT, Shape.scalar()),
                g.input(TOP_K, DType.INT64, Shape.scalar()),
                g.input(TOP_P, DType.FLOAT, Shape.scalar()),
                g.input(REPETITION_PENALTY, DType.FLOAT, Shape.scalar()));

        // prefill: HF's position ids for left padding (cumsum - 1, padding at 1)
        Value zero = o.scalar(DType.INT64, 0), one = o.scalar(DType.INT64, 1);
        Value positions = o.where(o.equal(mask, zero), one, o.sub(s.cumSum(mask, 1, false), one)); // (B, S)
        CausalLm.Forward prefill;
        Value lastLogits;                                                              // (B, V)
        if (model instanceof DecoderLm lm) {
            // the LM head on the last position only: (B, S, V) logits would cost S times the work
            prefill = lm.hidden(o, ids, positions, mask, List.of());
            Value last = o.gather(prefill.hidden(), o.ints(-1), 1);                     // (B, 1, C)
            lastLogits = o.squeeze(lm.lmHead(o, last), 1);
        } else {
            prefill = model.forward(o, ids, positions, mask, List.of());
            lastLogits = o.gather(prefill.logits(), o.scalar(DType.INT64, -1), 1);
        }
        Value vocabIds = s.range(zero, o.scalar(DType.INT64, vocab), one);            // (V)
        // the prompt's real tokens (not its padding), counted by a scatter-add over (B, V)
        Value counts = o.scatterAdd(o.fillLike(lastLogits, 0), ids, o.cast(mask, DType.FLOAT), 1);
        Value seen = o.greater(counts, o.scalar(DType.FLOAT, 0));                      // (B, V)
        Value nextPosition = o.reduceSum(mask, new long[] {1}, true);                 // (B, 1)
        Value noLength = o.mul(o.reduceSum(mask, new long[] {1}, false), zero);      // (B) 0
        Value notFinished = o.cast(noLength, DType.BOOL);                              // (B) false

        Loop loop = new Loop(o, "decode");
        Ops b = loop.body();
        SearchOps bs = new SearchOps(b);
        Value logits = loop.carry(lastLogits);
        Value seenIn = loop.carry(seen);
        Value finished = loop.carry(notFinished);
        Value length = loop.carry(noLength);
        Value position = loop.carry(nextPosition);
        Value maskIn = loop.carry(mask, Shape.symbolic("batch", "past"));
        List<KvCache> past = new ArrayList<>();
        for (KvCache c : prefill.present()) {
            Shape cached = c.keys().shape().with(2, Dim.symbol("past"));
            past.add(new KvCache(loop.carry(c.keys(), cached), loop.carry(c.values(), cached)));
        }

        Value uniform = b.gather(uniforms, loop.iteration(), 1);                       // (B)
        TokenSelection.Choice choice = TokenSelection.choose(b, logits, seenIn, uniform, controls);
        Value alive = b.not(finished);                                                 // (B)
        Value token = b.where(alive, choice.token(), b.scalar(DType.INT64, PAD));
        Value zeroLogProb = b.scalar(DType.FLOAT, 0);
        Value logProb = b.where(alive, choice.logProb(), zeroLogProb);
        Value modelLogProb = b.where(alive, choice.modelLogProb(), zeroLogProb);
        Value stopped = bs.any(b.equal(b.unsqueeze(token, 1), stops), new long[] {1}, false); // (B)
        Value finishedNext = bs.or(finished, b.and(alive, stopped));
        Value lengthNext = b.add(length, b.cast(alive, DType.INT64));
        Value seenNext = bs.or(seenIn, b.equal(b.unsqueeze(token, 1), vocabIds));      // (B, V)

        Value tokenColumn = b.unsqueeze(token, 1);                                     // (B, 1)
        Value ones = b.op("ConstantOfShape", DType.INT64, tokenColumn.shape(),
                Map.of("value", TensorData.ofLongs(new long[] {1}, 1)), b.shapeOf(tokenColumn));
        Value maskNext = b.concat(1, maskIn, ones);                                    // (B, P + 1)
        CausalLm.Forward step = model.forward(b, tokenColumn, position, maskNext, past);
        Value logitsNext = b.squeeze(step.logits(), 1);                                // (B, V)
        Value positionNext = b.add(position, b.scalar(DType.INT64, 1));
        Value keepGoing = bs.any(b.not(finishedNext), new long[] {0}, false);

        List<Value> carriedOut = new ArrayList<>(List.of(logitsNext, seenNext, finishedNext, lengthNext,
                positionNext, maskNext));
        for (KvCache c : step.present()) {
            carriedOut.add(c.keys());
            carriedOut.add(c.values());
        }
        Value trips = o.gather(o.shapeOf(uniforms), o.scalar(DType.INT64, 1), 0);        // N
        List<Value> out = loop.end(trips, keepGoing, carriedOut, List.of(token, logProb, modelLogProb));
        int scans = carriedOut.size();
        g.output(o.transpose(out.get(scans), 1, 0), TOKENS);
        g.output(o.transpose(out.get(scans + 1), 1, 0), LOG_PROBS);
        g.output(o.transpose(out.get(scans + 2), 1, 0), MODEL_LOG_PROBS);
        g.output(out.get(3), LENGTHS);
        return g;
    }
}
