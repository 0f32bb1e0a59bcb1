package dev.rlhf.engine.bench;

import dev.rlhf.engine.graph.DType;
import dev.rlhf.engine.graph.GraphBuilder;
import dev.rlhf.engine.graph.Ops;
import dev.rlhf.engine.graph.Shape;
import dev.rlhf.engine.graph.TensorData;
import dev.rlhf.engine.graph.Value;
import dev.rlhf.engine.loss.TokenCrossEntropy;
import dev.rlhf.engine.model.DecoderBlock;
import dev.rlhf.engine.model.Gpt;
import dev.rlhf.engine.model.GptConfig;
import dev.rlhf.engine.optim.AdamW;
import dev.rlhf.engine.optim.LearningRateSchedule;
import dev.rlhf.engine.optim.ParamGroup;
import dev.rlhf.engine.runtime.CompiledGraph;
import dev.rlhf.engine.runtime.Engine;
import dev.rlhf.engine.runtime.RuntimeOptions;
import dev.rlhf.engine.train.Parameters;
import dev.rlhf.engine.train.TrainingGraph;
import dev.rlhf.engine.train.TrainingSession;
import java.util.Map;
import java.util.Random;

/**
 * Times one full training step (forward, backward, AdamW) as bench/engine/run.sh asks for it:
 * {@code block} (one decoder block, d=256, 4 heads, batch 8 x 128) or {@code gpt2} (GPT-2 small,
 * batch 4 x 128), and {@code gemm} (one 2048^3 float32 MatMul, the machine's peak).
 * Prints one line: {@code RESULT case=... ms=... tokens_per_s=... gflops=...}, ms being the median step.
 * FLOPs count the matrix products only (3x the forward's: forward, and two for backward),
 * with the same formula as the PyTorch script, so the GFLOP/s figures compare.
 */
public final class TrainingStepBenchmark {
    public static void main(String[] args) {
        String which = args[0];
        int threads = Integer.parseInt(args[1]);
        int steps = Integer.parseInt(args[2]);
        Engine engine = new Engine(RuntimeOptions.defaults().withThreads(threads));
        switch (which) {
            case "block" -> block(engine, steps);
            case "gpt2" -> gpt2(engine, steps);
            case "gemm" -> gemm(engine, steps);
            default -> throw new IllegalArgumentException("unknown case " + which);
        }
    }

    private static void block(Engine engine, int steps) {
        GptConfig c = new GptConfig(1, 128, 1, 256, 4, DType.FLOAT);
        long b = 8, t = 128;
        Parameters p = new Parameters();
        DecoderBlock.init(p, "h.0.", c, new Random(0));
        GraphBuilder g = new GraphBuilder("block_step");
        Ops o = new Ops(g);
        Value x = g.input("x", DType.FLOAT, Shape.of(b, t, 256));
        Value target = g.input("target", DType.FLOAT, Shape.of(b, t, 256));
        Value y = DecoderBlock.forward(o, p, "h.0.", c, x, o.constant(Gpt.causalMask(t)));
        Value diff = o.sub(y, target);
        TrainingGraph.append(o, o.meanAll(o.mul(diff, diff)), p, AdamW.defaults(), n -> ParamGroup.of(0.01), 1.0);
        Random rng = new Random(1);
        Map<String, TensorData> batch = Map.of(
                "x", Parameters.normal(rng, DType.FLOAT, 1.0, b, t, 256),
                "target", Parameters.normal(rng, DType.FLOAT, 1.0, b, t, 256));
        double forward = b * t * 24.0 * 256 * 256 + 4.0 * b * t * t * 256;
        time("block", engine, g, p, batch, steps, b * t, 3 * forward);
    }

    private static void gpt2(Engine engine, int steps) {
        GptConfig c = GptConfig.gpt2Small(DType.FLOAT);
        long b = 4, t = 128;
        Parameters p = Gpt.init(c, new Random(0));
        GraphBuilder g = new GraphBuilder("gpt2_step");
        Ops o = new Ops(g);
        Value tokens = g.input("tokens", DType.INT64, Shape.of(b, t));
        Value targets = g.input("targets", DType.INT64, Shape.of(b, t));
        Value mask = g.input("mask", DType.FLOAT, Shape.of(b, t));
        Value loss = TokenCrossEntropy.loss(o, Gpt.logits(o, p, c, tokens), targets, mask);
        TrainingGraph.append(o, loss, p, AdamW.defaults(), n -> ParamGroup.of(0.01), 1.0);
        Random rng = new Random(1);
        long[] tok = new long[(int) (b * t)], tgt = new long[tok.length];
        float[] m = new float[tok.length];
        for (int i = 0; i < tok.length; i++) {
            tok[i] = rng.nextInt(c.vocabSize());
            tgt[i] = rng.nextInt(c.vocabSize());
            m[i] = 1;
        }
        Map<String, TensorData> batch = Map.of("tokens", TensorData.ofLongs(new long[] {b, t}, tok),
                "targets", TensorData.ofLongs(new long[] {b, t}, tgt), "mask", TensorData.ofFloats(new long[] {b, t}, m));
        double d = c.dModel();
        double forward = c.layers() * (b * t * 24.0 * d * d + 4.0 * b * t * t * d) + 2.0 * b * t * d * c.vocabSize();
        time("gpt2", engine, g, p, batch, steps, b * t, 3 * forward);
    }

    /** Warm-up time before the timed steps, on both sides of the comparison (pytorch_step.py has the same). */
    private static final double WARM_UP_SECONDS = 3.0;

    private static void time(String name, Engine engine, GraphBuilder g, Parameters p, Map<String, TensorData> batch,
                             int steps, long tokens, double flops) {
        try (TrainingSession s = new TrainingSession(engine, g, p, AdamW.defaults().stateNames(),
                LearningRateSchedule.constant(1e-4))) {
            // warm-up, the same rule as the PyTorch script: two steps (allocations, kernel selection), then more until
            // WARM_UP_SECONDS have passed, so that a short step is timed once the JVM's compilers have settled
            long warmUpEnd = System.nanoTime() + (long) (WARM_UP_SECONDS * 1e9);
            for (int i = 0; i < 2 || System.nanoTime() < warmUpEnd; i++) s.step(batch);
            double[] times = new double[steps];
            for (int i = 0; i < steps; i++) {
                long start = System.nanoTime();
                s.step(batch);
                times[i] = (System.nanoTime() - start) / 1e9;
            }
            // the median step: robust to other work on a shared machine, and the same statistic as the PyTorch script
            java.util.Arrays.sort(times);
            double seconds = steps % 2 == 1 ? times[steps / 2] : (times[steps / 2 - 1] + times[steps / 2]) / 2;
            System.out.printf("RESULT case=%s ms=%.2f tokens_per_s=%.1f gflops=%.1f%n",
                    name, seconds * 1e3, tokens / seconds, flops / seconds / 1e9);
        }
    }

    private static void gemm(Engine engine, int repeats) {
        int n = 2048;
        GraphBuilder g = new GraphBuilder("gemm");
        Ops o = new Ops(g);
        Value a = g.input("a", DType.FLOAT, Shape.of(n, n));
        g.output(o.matMul(a, a), "c");
        Map<String, TensorData> feeds = Map.of("a", Parameters.normal(new Random(2), DType.FLOAT, 1.0, n, n));
        try (CompiledGraph c = engine.compile(g)) {
            c.run(feeds);
            double best = Double.MAX_VALUE;
            for (int i = 0; i < repeats; i++) {
                long start = System.nanoTime();
                c.run(feeds);
                best = Math.min(best, (System.nanoTime() - start) / 1e9);
            }
            System.out.printf("RESULT case=gemm ms=%.2f tokens_per_s=0 gflops=%.1f%n", best * 1e3, 2.0 * n * n * n / best / 1e9);
        }
    }
}
