package dev.rlhf.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlhf.engine.graph.DType;
import dev.rlhf.engine.graph.GraphBuilder;
import dev.rlhf.engine.graph.Ops;
import dev.rlhf.engine.graph.Shape;
import dev.rlhf.engine.graph.TensorData;
import dev.rlhf.engine.graph.Value;
import dev.rlhf.engine.loss.TokenCrossEntropy;
import dev.rlhf.engine.optim.AdamW;
import dev.rlhf.engine.optim.LearningRateSchedule;
import dev.rlhf.engine.optim.ParamGroup;
import dev.rlhf.engine.runtime.CompiledGraph;
import dev.rlhf.engine.runtime.Engine;
import dev.rlhf.engine.runtime.RuntimeOptions;
import dev.rlhf.engine.train.Lora;
import dev.rlhf.engine.train.LoraConfig;
import dev.rlhf.engine.train.Parameters;
import dev.rlhf.engine.train.TrainingGraph;
import dev.rlhf.engine.train.TrainingSession;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** LoRA by Hugging Face name on the (out, in) Linear weights of Llama: shapes, training, merging. */
class DecoderLoraTest {
    private static final Engine F64 = new Engine(RuntimeOptions.float64Checks());
    private static final long[] DIMS = {2, 4};
    private static final Map<String, TensorData> BATCH = Map.of(
            "ids", TensorData.ofLongs(DIMS, 0, 3, 9, 4, 5, 1, 10, 2),
            "positions", TensorData.ofLongs(DIMS, 1, 0, 1, 2, 0, 1, 2, 3),
            "mask", TensorData.ofLongs(DIMS, 0, 1, 1, 1, 1, 1, 1, 1),
            "targets", TensorData.ofLongs(DIMS, 3, 9, 4, 6, 1, 10, 2, 7),
            "weights", TensorData.ofDoubles(DIMS, 0, 1, 1, 1, 1, 1, 1, 1));

    private static Value loss(Ops o, DecoderLm lm) {
        var g = o.graph();
        Value logits = lm.forward(o, g.input("ids", DType.INT64, Shape.symbolic("batch", "seq")),
                g.input("positions", DType.INT64, Shape.symbolic("batch", "seq")),
                g.input("mask", DType.INT64, Shape.symbolic("batch", "seq")), List.of()).logits();
        return TokenCrossEntropy.loss(o, logits, g.input("targets", DType.INT64, Shape.symbolic("batch", "seq")),
                g.input("weights", DType.DOUBLE, Shape.symbolic("batch", "seq")));
    }

    private static double lossOf(DecoderLm lm) {
        GraphBuilder g = new GraphBuilder("loss");
        g.output(loss(new Ops(g), lm), "loss");
        Map<String, TensorData> feeds = new HashMap<>(BATCH);
        lm.parameters().trainableNames().forEach(n -> feeds.put(n, lm.parameters().get(n)));
        try (CompiledGraph c = F64.compile(g)) {
            return c.run(feeds).get("loss").scalarValue();
        }
    }

    @Test
    void adaptersAttachedBeforeTheModelKnowsItsLayoutAreRefused() {
        ModelConfig config = DecoderGradientTest.tinyConfig("llama");
        Parameters early = ModelWeights.parameters(DecoderLm.initialise(config, new Random(3), 0.5).parameters().asMap());
        Lora.attach(early, new LoraConfig(2, 4, 0.0, LoraConfig.attentionAndMlpWeights()), new Random(4));
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> DecoderLm.of(config, early));
        assertTrue(e.getMessage().contains("attach adapters after building the model"), e.getMessage());
    }

    @Test
    void adaptersOnEveryProjectionTrainAloneAndMergeIntoTheSameFunction() {
        DecoderLm lm = DecoderLm.initialise(DecoderGradientTest.tinyConfig("llama"), new Random(3), 0.5);
        Parameters p = lm.parameters();
        Map<String, TensorData> before = new HashMap<>(p.asMap());
        Lora.attach(p, new LoraConfig(2, 4, 0.0, LoraConfig.attentionAndMlpWeights()), new Random(4));
        assertEquals(2 * 7 * 2, p.trainableNames().size(), "A and B for q, k, v, o, gate, up, down in two layers");
        assertArrayEquals(new long[] {8, 2}, p.get("model.layers.0.self_attn.k_proj.weight" + Lora.A).dims(), "A is (in, r)");
        assertArrayEquals(new long[] {2, 4}, p.get("model.layers.0.self_attn.k_proj.weight" + Lora.B).dims(), "B is (r, out)");
        assertArrayEquals(new long[] {12, 2}, p.get("model.layers.1.mlp.down_proj.weight" + Lora.A).dims());

        GraphBuilder g = new GraphBuilder("lora_step");
        Ops o = new Ops(g);
        TrainingGraph.append(o, loss(o, lm), p, AdamW.defaults(), name -> ParamGroup.of(0.0), 0.0);
        double first, last = 0;
        try (TrainingSession s = new TrainingSession(F64, g, p, AdamW.defaults().stateNames(), LearningRateSchedule.constant(0.05))) {
            first = s.step(BATCH);
            for (int i = 0; i < 20; i++) last = s.step(BATCH);
            s.syncParameters();
        }
        assertTrue(last < first - 0.1, "loss fell from " + first + " to " + last);
        before.forEach((name, value) -> assertArrayEquals(value.toDoubles(), p.get(name).toDoubles(), 0.0, name + " is frozen"));

        double adapted = lossOf(lm);
        Lora.merge(p);
        assertEquals(before.keySet(), p.asMap().keySet());
        assertEquals(adapted, lossOf(lm), 1e-10, "merged weights compute the adapted function");
    }
}
