package dev.rlhf.engine.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rlhf.engine.generate.GeneratedSequence;
import dev.rlhf.engine.generate.GenerationSettings;
import dev.rlhf.engine.generate.Generator;
import dev.rlhf.engine.graph.DType;
import dev.rlhf.engine.graph.GraphBuilder;
import dev.rlhf.engine.graph.Ops;
import dev.rlhf.engine.graph.Shape;
import dev.rlhf.engine.graph.TensorData;
import dev.rlhf.engine.graph.Value;
import dev.rlhf.engine.model.CausalLm;
import dev.rlhf.engine.model.DecoderLm;
import dev.rlhf.engine.runtime.CompiledGraph;
import dev.rlhf.engine.runtime.Engine;
import dev.rlhf.engine.runtime.FrozenWeights;
import dev.rlhf.engine.runtime.RuntimeOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Times generation as bench/generate/run.sh asks for it, on the Hugging Face folder that
 * {@code transformers_generate.py} wrote (same weights, same prompts): {@code prefill} (batch 8 x
 * 64 tokens, last-position logits and the cache as outputs) and {@code generate} at batch 1 and 8
 * (greedy, exactly 128 new tokens: no stop tokens). Prints {@code RESULT case=... batch=... ms=...
 * tokens_per_s=...}, ms the median of the timed runs after one warm-up.
 * Arguments: HF_DIR THREADS REPEATS.
 */
public final class GenerationBenchmark {
    private static final int NEW = 128;

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int threads = Integer.parseInt(args[1]), repeats = Integer.parseInt(args[2]);
        Engine engine = new Engine(RuntimeOptions.defaults().withThreads(threads));
        DecoderLm model = DecoderLm.load(dir, DType.FLOAT);
        model.parameters().freeze(n -> true);
        List<List<Integer>> prompts = new ArrayList<>();
        for (JsonNode row : new ObjectMapper().readTree(dir.resolve("bench_prompts.json").toFile())) {
            List<Integer> p = new ArrayList<>();
            row.forEach(t -> p.add(t.asInt()));
            prompts.add(p);
        }
        try (FrozenWeights weights = new FrozenWeights(engine, model.parameters().asMap())) {
            try (CompiledGraph prefill = prefillGraph(engine, model, weights)) {
                long[] ids = prompts.stream().flatMap(List::stream).mapToLong(Integer::longValue).toArray();
                long[] ones = new long[ids.length];
                Arrays.fill(ones, 1);
                long[] dims = {prompts.size(), prompts.get(0).size()};
                Map<String, TensorData> feeds = Map.of("input_ids", TensorData.ofLongs(dims, ids),
                        "attention_mask", TensorData.ofLongs(dims, ones));
                double ms = median(repeats, () -> prefill.run(feeds));
                report("prefill", prompts.size(), ms, ids.length / ms * 1000);
            }
            try (Generator generator = new Generator(engine, model, weights)) {
                GenerationSettings greedy = GenerationSettings.greedy(NEW, List.of());
                for (int batch : new int[] {1, 8}) {
                    List<List<Integer>> rows = prompts.subList(0, batch);
                    double ms = median(repeats, () -> {
                        List<GeneratedSequence> out = generator.generate(rows, greedy);
                        if (out.stream().anyMatch(s -> s.length() != NEW)) throw new IllegalStateException("short row");
                        return out;
                    });
                    report("generate", batch, ms, batch * NEW / ms * 1000);
                }
            }
        }
    }

    /** The generation graph's prefill alone: last-position logits and every layer's keys and values. */
    private static CompiledGraph prefillGraph(Engine engine, DecoderLm model, FrozenWeights weights) {
        GraphBuilder g = new GraphBuilder("prefill");
        Ops o = new Ops(g);
        Value ids = g.input("input_ids", DType.INT64, Shape.symbolic("batch", "prompt"));
        Value mask = g.input("attention_mask", DType.INT64, Shape.symbolic("batch", "prompt"));
        Value positions = o.sub(o.op("CumSum", DType.INT64, mask.shape(), Map.of(), mask, o.scalar(DType.INT64, 1)),
                o.scalar(DType.INT64, 1));
        CausalLm.Forward f = model.hidden(o, ids, positions, mask, List.of());
        g.output(model.lmHead(o, o.gather(f.hidden(), o.ints(-1), 1)), "logits");
        for (int l = 0; l < f.present().size(); l++) {
            g.output(f.present().get(l).keys(), "keys_" + l);
            g.output(f.present().get(l).values(), "values_" + l);
        }
        return engine.compile(g, weights.forInitializers(g.initializers().keySet()));
    }

    private static double median(int repeats, Supplier<?> run) {
        run.get();
        double[] ms = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            long start = System.nanoTime();
            run.get();
            ms[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(ms);
        return ms[repeats / 2];
    }

    private static void report(String name, int batch, double ms, double tokensPerSecond) {
        System.out.printf("RESULT case=%s batch=%d ms=%.1f tokens_per_s=%.1f%n", name, batch, ms, tokensPerSecond);
    }
}
