package dev.rlhf.engine.train;

import dev.rlhf.engine.graph.DType;
import dev.rlhf.engine.graph.GraphBuilder;
import dev.rlhf.engine.graph.Ops;
import dev.rlhf.engine.graph.Shape;
import dev.rlhf.engine.graph.TensorData;
import dev.rlhf.engine.graph.Value;
import dev.rlhf.engine.loss.TokenCrossEntropy;
import dev.rlhf.engine.model.Gpt;
import dev.rlhf.engine.model.GptConfig;
import dev.rlhf.engine.optim.AdamW;
import dev.rlhf.engine.optim.LearningRateSchedule;
import dev.rlhf.engine.optim.ParamGroup;
import dev.rlhf.engine.runtime.Engine;
import dev.rlhf.engine.runtime.FrozenWeights;
import java.util.Map;
import java.util.Random;

/** A two-layer GPT trained with AdamW on a fixed batch: the fixture for training-session tests. */
final class TinyLanguageModel {
    static final GptConfig CONFIG = new GptConfig(11, 8, 2, 32, 2, DType.FLOAT);   // head size 16: the attention kernels take it
    static final long B = 2, T = 6;

    static Parameters parameters(long seed) {
        return Gpt.init(CONFIG, new Random(seed));
    }

    static TrainingSession session(Engine engine, Parameters params) {
        return session(engine, params, null);
    }

    /** @param frozen shared native copies of the frozen weights, or null to embed them in the model */
    static TrainingSession session(Engine engine, Parameters params, FrozenWeights frozen) {
        return new TrainingSession(engine, graph(params), params, AdamW.defaults().stateNames(),
                LearningRateSchedule.warmupCosine(3e-2, 3, 40, 3e-3), frozen);
    }

    /** The training step's graph: forward, token cross-entropy, backward, clipping and AdamW. */
    static GraphBuilder graph(Parameters params) {
        GraphBuilder g = new GraphBuilder("tiny_lm_step");
        Ops o = new Ops(g);
        Value tokens = g.input("tokens", DType.INT64, Shape.of(B, T));
        Value targets = g.input("targets", DType.INT64, Shape.of(B, T));
        Value mask = g.input("mask", DType.FLOAT, Shape.of(B, T));
        Value loss = TokenCrossEntropy.loss(o, Gpt.logits(o, params, CONFIG, tokens), targets, mask);
        // no decay on biases and norms, as GPT-2 fine-tuning recipes do
        TrainingGraph.append(o, loss, params, AdamW.defaults(),
                name -> name.endsWith("bias") || name.contains("ln") ? ParamGroup.of(0) : ParamGroup.of(0.1), 1.0);
        return g;
    }

    /** A batch of a repeating pattern, so the loss can fall well below log(V). */
    static Map<String, TensorData> batch(int shift) {
        long[] tokens = new long[(int) (B * T)], targets = new long[tokens.length];
        float[] mask = new float[tokens.length];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = (i * 3 + shift) % CONFIG.vocabSize();
            targets[i] = (tokens[i] * 3 + 1) % CONFIG.vocabSize();
            mask[i] = i % T == 0 ? 0 : 1;
        }
        return Map.of("tokens", TensorData.ofLongs(new long[] {B, T}, tokens),
                "targets", TensorData.ofLongs(new long[] {B, T}, targets),
                "mask", TensorData.ofFloats(new long[] {B, T}, mask));
    }
}
