package dev.rlhf.engine.bench;

import dev.rlhf.engine.graph.DType;
import dev.rlhf.engine.graph.GraphBuilder;
import dev.rlhf.engine.graph.Loop;
import dev.rlhf.engine.graph.Ops;
import dev.rlhf.engine.graph.SearchOps;
import dev.rlhf.engine.graph.Shape;
import dev.rlhf.engine.graph.TensorData;
import dev.rlhf.engine.graph.Value;
import dev.rlhf.engine.runtime.CompiledGraph;
import dev.rlhf.engine.runtime.Engine;
import dev.rlhf.engine.runtime.RuntimeOptions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The two key/value-cache layouts for an in-graph decode loop, timed alone: SmolLM2-135M's cache
 * shape (30 layers, 3 key/value heads of 64, batch 8, 64 prompt positions, 128 steps), each step
 * one attention read of every layer's cache by a one-token query.
 * {@code concat}: the cache grows by one position per step (Concat, the layout CausalLm returns);
 * {@code scatter}: a cache preallocated at its final length, the step's entry written by
 * ScatterElements at its position, later positions masked. Prints {@code RESULT layout=... ms=...}.
 * Arguments: THREADS REPEATS.
 */
public final class KvCacheBenchmark {
    private static final long B = 8, K = 3, D = 64, PROMPT = 64, STEPS = 128;
    private static final int LAYERS = 30;

    public static void main(String[] args) {
        int threads = Integer.parseInt(args[0]), repeats = Integer.parseInt(args[1]);
        Engine engine = new Engine(RuntimeOptions.defaults().withThreads(threads));
        for (String layout : List.of("concat", "scatter", "concat", "scatter")) {
            try (CompiledGraph c = engine.compile(graph(layout.equals("scatter")))) {
                Map<String, TensorData> feeds = Map.of("q", TensorData.ofFloats(new long[] {B, K, 1, D}, ones(B * K * D)));
                c.run(feeds);
                double[] ms = new double[repeats];
                for (int i = 0; i < repeats; i++) {
                    long start = System.nanoTime();
                    c.run(feeds);
                    ms[i] = (System.nanoTime() - start) / 1e6;
                }
                Arrays.sort(ms);
                System.out.printf("RESULT layout=%s ms=%.1f%n", layout, ms[repeats / 2]);
            }
        }
    }

    private static float[] ones(long n) {
        float[] f = new float[(int) n];
        Arrays.fill(f, 0.01f);
        return f;
    }

    private static GraphBuilder graph(boolean preallocated) {
        GraphBuilder g = new GraphBuilder("kv_" + (preallocated ? "scatter" : "concat"));
        Ops o = new Ops(g);
        Value q0 = g.input("q", DType.FLOAT, Shape.of(B, K, 1, D));
        long length = preallocated ? PROMPT + STEPS : PROMPT;
        Loop loop = new Loop(o, "steps");
        Ops b = loop.body();
        SearchOps s = new SearchOps(b);
        Value q = loop.carry(q0);
        List<Value> caches = new ArrayList<>();
        for (int l = 0; l < LAYERS; l++) {
            Value init = o.constant(TensorData.zeros(DType.FLOAT, B, K, length, D));
            caches.add(loop.carry(init, preallocated ? init.shape() : Shape.symbolic(B, K, "past", D)));
        }
        Value position = b.add(loop.iteration(), b.scalar(DType.INT64, PROMPT));
        Value keyAt = s.range(b.scalar(DType.INT64, 0), b.scalar(DType.INT64, PROMPT + STEPS), b.scalar(DType.INT64, 1));
        Value visible = s.lessOrEqual(keyAt, position);                                  // (P)
        List<Value> next = new ArrayList<>();
        Value x = q;
        for (int l = 0; l < LAYERS; l++) {
            Value cache = caches.get(l);
            if (preallocated) {
                Value at = b.expand(b.reshape(position, 1, 1, 1, 1), B, K, 1, D);
                cache = b.op("ScatterElements", DType.FLOAT, cache.shape(), Map.of("axis", 2L), cache, at, x);
            } else {
                cache = b.concat(2, cache, x);
            }
            next.add(cache);
            Value scores = b.matMul(x, b.transposeLastTwo(cache));                        // (B, K, 1, P)
            if (preallocated) scores = b.where(visible, scores, b.scalar(DType.FLOAT, -1e9));
            x = b.matMul(b.softmax(scores, -1), cache);                                    // (B, K, 1, D)
        }
        List<Value> carried = new ArrayList<>();
        carried.add(x);
        carried.addAll(next);
        List<Value> out = loop.end(o.scalar(DType.INT64, STEPS), null, carried, List.of());
        g.output(out.get(0), "q_final");
        return g;
    }
}
