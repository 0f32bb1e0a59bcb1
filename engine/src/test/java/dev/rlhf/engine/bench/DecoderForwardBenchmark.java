package dev.rlhf.engine.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtSession;
import dev.rlhf.engine.graph.DType;
import dev.rlhf.engine.graph.GraphBuilder;
import dev.rlhf.engine.graph.Ops;
import dev.rlhf.engine.graph.Shape;
import dev.rlhf.engine.graph.TensorData;
import dev.rlhf.engine.graph.Value;
import dev.rlhf.engine.model.CausalLm;
import dev.rlhf.engine.model.DecoderLm;
import dev.rlhf.engine.model.ModelConfig;
import dev.rlhf.engine.runtime.CompiledGraph;
import dev.rlhf.engine.runtime.Engine;
import dev.rlhf.engine.runtime.RuntimeOptions;
import dev.rlhf.engine.runtime.Tensors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Forward-pass cost of a decoder on CPU: prefill of (B, T) prompt tokens, then decode steps of one
 * token each against the key/value cache (fed back as ONNX Runtime tensors, no Java copies), with
 * random weights of a real config. Usage: {@code config.json batch promptLength steps threads}.
 * Prints {@code RESULT prefill_ms=... decode_ms_per_step=...} (medians).
 */
public final class DecoderForwardBenchmark {
    public static void main(String[] args) throws Exception {
        ModelConfig config = ModelConfig.parse(Files.readString(Path.of(args[0])), DType.FLOAT);
        int b = Integer.parseInt(args[1]), t = Integer.parseInt(args[2]), steps = Integer.parseInt(args[3]);
        Engine engine = new Engine(RuntimeOptions.defaults().withThreads(Integer.parseInt(args[4])));
        long start = System.nanoTime();
        DecoderLm lm = DecoderLm.initialise(config, new Random(1), 0.02);
        lm.parameters().freeze(n -> true);
        System.err.printf("weights %.1f s%n", (System.nanoTime() - start) / 1e9);
        start = System.nanoTime();
        try (CompiledGraph prefill = engine.compile(graph(lm, false));
             CompiledGraph decode = engine.compile(graph(lm, true))) {
            System.err.printf("sessions %.1f s%n", (System.nanoTime() - start) / 1e9);
            List<Double> prefillMs = new ArrayList<>(), stepMs = new ArrayList<>();
            for (int round = 0; round < 3; round++) run(engine, lm, prefill, decode, b, t, steps, prefillMs, stepMs);
            System.out.printf("RESULT batch=%d prompt=%d prefill_ms=%.1f decode_ms_per_step=%.2f%n", b, t,
                    median(prefillMs), median(stepMs));
        }
    }

    private static void run(Engine engine, DecoderLm lm, CompiledGraph prefill, CompiledGraph decode, int b, int t,
                            int steps, List<Double> prefillMs, List<Double> stepMs) throws Exception {
        var env = engine.environment();
        long[] ids = new long[b * t], pos = new long[b * t], mask = new long[b * t];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = (i * 7919L) % lm.shape().vocabSize();
            pos[i] = i % t;
            mask[i] = 1;
        }
        Map<String, OnnxTensor> in = new HashMap<>();
        in.put("input_ids", Tensors.toOrt(env, TensorData.ofLongs(new long[] {b, t}, ids)));
        in.put("position_ids", Tensors.toOrt(env, TensorData.ofLongs(new long[] {b, t}, pos)));
        in.put("attention_mask", Tensors.toOrt(env, TensorData.ofLongs(new long[] {b, t}, mask)));
        Set<String> outs = new LinkedHashSet<>(prefill.outputNames());
        long s0 = System.nanoTime();
        OrtSession.Result state = prefill.runTensors(in, outs, Map.of());
        prefillMs.add((System.nanoTime() - s0) / 1e6);
        in.values().forEach(OnnxTensor::close);
        for (int step = 0; step < steps; step++) {
            long[] next = new long[b], nextPos = new long[b], nextMask = new long[b * (t + step + 1)];
            Arrays.fill(next, 42);
            Arrays.fill(nextPos, t + step);
            Arrays.fill(nextMask, 1);
            Map<String, OnnxTensor> feeds = new HashMap<>();
            feeds.put("input_ids", Tensors.toOrt(env, TensorData.ofLongs(new long[] {b, 1}, next)));
            feeds.put("position_ids", Tensors.toOrt(env, TensorData.ofLongs(new long[] {b, 1}, nextPos)));
            feeds.put("attention_mask", Tensors.toOrt(env, TensorData.ofLongs(new long[] {b, t + step + 1}, nextMask)));
            for (int i = 0; i < lm.shape().layers(); i++) {
                feeds.put("past." + i + ".keys", (OnnxTensor) state.get("present." + i + ".keys").orElseThrow());
                feeds.put("past." + i + ".values", (OnnxTensor) state.get("present." + i + ".values").orElseThrow());
            }
            long s1 = System.nanoTime();
            OrtSession.Result after = decode.runTensors(feeds, outs, Map.of());
            stepMs.add((System.nanoTime() - s1) / 1e6);
            state.close();
            state = after;
            for (String k : List.of("input_ids", "position_ids", "attention_mask")) feeds.get(k).close();
        }
        state.close();
    }

    static GraphBuilder graph(CausalLm lm, boolean withCache) {
        GraphBuilder g = new GraphBuilder(withCache ? "decode" : "prefill");
        Ops o = new Ops(g);
        Value ids = g.input("input_ids", DType.INT64, Shape.symbolic("batch", "seq"));
        Value positions = g.input("position_ids", DType.INT64, Shape.symbolic("batch", "seq"));
        Value mask = g.input("attention_mask", DType.INT64, Shape.symbolic("batch", "total"));
        CausalLm.LmShape s = lm.shape();
        List<CausalLm.KvCache> past = new ArrayList<>();
        if (withCache) {
            for (int i = 0; i < s.layers(); i++) {
                Shape cache = Shape.symbolic("batch", (long) s.kvHeads(), "past", (long) s.headSize());
                past.add(new CausalLm.KvCache(g.input("past." + i + ".keys", DType.FLOAT, cache),
                        g.input("past." + i + ".values", DType.FLOAT, cache)));
            }
        }
        CausalLm.Forward f = lm.forward(o, ids, positions, mask, past);
        // generation needs the last position's logits only
        Value last = o.gather(f.hidden(), o.constant(TensorData.scalar(DType.INT64, -1)), 1);            // (B, C)
        g.output(((DecoderLm) lm).lmHead(o, o.unsqueeze(last, 1)), "logits");
        for (int i = 0; i < f.present().size(); i++) {
            g.output(f.present().get(i).keys(), "present." + i + ".keys");
            g.output(f.present().get(i).values(), "present." + i + ".values");
        }
        return g;
    }

    private static double median(List<Double> xs) {
        double[] a = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return a[a.length / 2];
    }
}
