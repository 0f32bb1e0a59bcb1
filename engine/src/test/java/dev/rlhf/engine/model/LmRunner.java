package dev.rlhf.engine.model;

import dev.rlhf.engine.graph.DType;
import dev.rlhf.engine.graph.GraphBuilder;
import dev.rlhf.engine.graph.Ops;
import dev.rlhf.engine.graph.Shape;
import dev.rlhf.engine.graph.TensorData;
import dev.rlhf.engine.graph.Value;
import dev.rlhf.engine.runtime.CompiledGraph;
import dev.rlhf.engine.runtime.Engine;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Two sessions over one model for tests: a prefill graph (no cache in, cache out) and a decode
 * graph (cache in, cache out), both with symbolic batch and lengths, and plain-Java greedy decoding
 * that calls them once per token (the in-graph loop belongs to generation).
 */
final class LmRunner implements AutoCloseable {
    private final CausalLm lm;
    private final CompiledGraph prefill;
    private final CompiledGraph decode;

    LmRunner(Engine engine, CausalLm lm) {
        this.lm = lm;
        ((DecoderLm) lm).parameters().freeze(n -> true);   // inference: every weight an initializer
        this.prefill = engine.compile(graph(lm, false));
        this.decode = engine.compile(graph(lm, true));
    }

    static GraphBuilder graph(CausalLm lm, boolean withCache) {
        GraphBuilder g = new GraphBuilder(withCache ? "decode" : "prefill");
        Ops o = new Ops(g);
        Value ids = g.input("input_ids", DType.INT64, Shape.symbolic("batch", "seq"));
        Value positions = g.input("position_ids", DType.INT64, Shape.symbolic("batch", "seq"));
        Value mask = g.input("attention_mask", DType.INT64, Shape.symbolic("batch", "total"));
        CausalLm.LmShape s = lm.shape();
        DType dtype = ((DecoderLm) lm).config().dtype();
        List<CausalLm.KvCache> past = new ArrayList<>();
        if (withCache) {
            for (int i = 0; i < s.layers(); i++) {
                Shape cache = Shape.symbolic("batch", (long) s.kvHeads(), "past", (long) s.headSize());
                past.add(new CausalLm.KvCache(g.input("past." + i + ".keys", dtype, cache),
                        g.input("past." + i + ".values", dtype, cache)));
            }
        }
        CausalLm.Forward f = lm.forward(o, ids, positions, mask, past);
        g.output(f.logits(), "logits");
        for (int i = 0; i < f.present().size(); i++) {
            g.output(f.present().get(i).keys(), "present." + i + ".keys");
            g.output(f.present().get(i).values(), "present." + i + ".values");
        }
        return g;
    }

    /** Logits and cache for a whole batch: ids, positions (B, T), mask (B, T). */
    Map<String, TensorData> prefill(TensorData ids, TensorData positions, TensorData mask) {
        return prefill.run(Map.of("input_ids", ids, "position_ids", positions, "attention_mask", mask));
    }

    /** Logits and extended cache for new positions after a cache; mask covers cache and new positions. */
    Map<String, TensorData> decode(TensorData ids, TensorData positions, TensorData mask, Map<String, TensorData> cacheFrom) {
        Map<String, TensorData> feeds = new HashMap<>(Map.of("input_ids", ids, "position_ids", positions, "attention_mask", mask));
        for (int i = 0; i < lm.shape().layers(); i++) {
            feeds.put("past." + i + ".keys", cacheFrom.get("present." + i + ".keys"));
            feeds.put("past." + i + ".values", cacheFrom.get("present." + i + ".values"));
        }
        return decode.run(feeds);
    }

    /** Greedy continuation of a left-padded batch (B, T): prefill once, then one decode call per token. */
    long[][] greedy(long[][] ids, long[][] mask, int newTokens) {
        int b = ids.length, t = ids[0].length;
        long[][] out = new long[b][newTokens];
        long[] nextPosition = new long[b];
        long[][] positions = new long[b][t];
        for (int r = 0; r < b; r++) {
            long seen = 0;
            for (int j = 0; j < t; j++) {
                positions[r][j] = mask[r][j] == 1 ? seen : 1;   // padding positions as transformers fills them
                seen += mask[r][j];
            }
            nextPosition[r] = seen;
        }
        Map<String, TensorData> state = prefill(longs(ids), longs(positions), longs(mask));
        long[][] fullMask = mask;
        for (int step = 0; step < newTokens; step++) {
            long[][] next = new long[b][1], pos = new long[b][1];
            double[] logits = state.get("logits").toDoubles();
            int v = lm.shape().vocabSize(), len = (int) state.get("logits").dims()[1];
            for (int r = 0; r < b; r++) {
                int best = 0;
                int base = (r * len + len - 1) * v;
                for (int k = 1; k < v; k++) if (logits[base + k] > logits[base + best]) best = k;
                out[r][step] = best;
                next[r][0] = best;
                pos[r][0] = nextPosition[r]++;
            }
            fullMask = appendOnes(fullMask);
            if (step + 1 < newTokens) state = decode(longs(next), longs(pos), longs(fullMask), state);
        }
        return out;
    }

    static long[][] appendOnes(long[][] mask) {
        long[][] m = new long[mask.length][];
        for (int r = 0; r < mask.length; r++) {
            m[r] = java.util.Arrays.copyOf(mask[r], mask[r].length + 1);
            m[r][mask[r].length] = 1;
        }
        return m;
    }

    static TensorData longs(long[][] rows) {
        int b = rows.length, t = rows[0].length;
        long[] flat = new long[b * t];
        for (int r = 0; r < b; r++) System.arraycopy(rows[r], 0, flat, r * t, t);
        return TensorData.ofLongs(new long[] {b, t}, flat);
    }

    @Override
    public void close() {
        prefill.close();
        decode.close();
    }
}
