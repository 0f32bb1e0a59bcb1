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
import dev.rlhf.engine.runtime.CompiledGraph;
import dev.rlhf.engine.runtime.Engine;
import dev.rlhf.engine.runtime.RuntimeOptions;
import dev.rlhf.engine.train.Lora;
import dev.rlhf.engine.train.LoraConfig;
import dev.rlhf.engine.train.Parameters;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Export round trip: adapted model in memory, merged and written, reloaded by ONNX Runtime, same logits. */
class GptExportTest {
    private static final Engine ENGINE = new Engine(RuntimeOptions.defaults().withThreads(1));
    // a vocabulary of 4200 makes wte (4200 x 64 floats) just over the 1 MiB external-data threshold
    private static final GptConfig CONFIG = new GptConfig(4200, 8, 1, 64, 4, DType.FLOAT);

    @Test
    void mergedExportComputesWhatTheAdaptedModelDid(@TempDir Path dir) throws Exception {
        Parameters p = Gpt.init(CONFIG, new Random(3));
        Lora.attach(p, new LoraConfig(4, 8, 0.1, LoraConfig.attentionWeights()), new Random(4));
        Random rng = new Random(5);
        for (String n : p.trainableNames()) p.set(n, Parameters.normal(rng, DType.FLOAT, 0.2, p.get(n).dims()));
        p.training(false);
        TensorData tokens = TensorData.ofLongs(new long[] {2, 5}, 1, 4100, 7, 7, 0, 3, 2, 999, 5, 6);

        GraphBuilder g = new GraphBuilder("adapted");
        Ops o = new Ops(g);
        g.output(Gpt.logits(o, p, CONFIG, g.input("tokens", DType.INT64, Shape.of(2, 5))), "logits");
        Map<String, TensorData> feeds = new HashMap<>();
        feeds.put("tokens", tokens);
        for (Value in : g.inputs()) if (!in.name().equals("tokens")) feeds.put(in.name(), p.get(in.name()));
        float[] adapted;
        try (CompiledGraph c = ENGINE.compile(g)) {
            adapted = c.run(feeds).get("logits").toFloats();
        }

        Lora.merge(p);
        Path model = GptExport.write(p, CONFIG, 5, dir, Map.of("base", "test-init-seed-3"));
        assertTrue(Files.size(dir.resolve(GptExport.FILE + ".data")) >= 4200L * 64 * 4, "wte goes to external data");
        try (CompiledGraph c = ENGINE.compile(model)) {
            float[] served = c.run(Map.of("tokens", tokens)).get("logits").toFloats();
            assertEquals(adapted.length, served.length);
            assertArrayEquals(adapted, served, 2e-4f);
        }
        var proto = dev.rlhf.engine.onnx.Onnx.ModelProto.parseFrom(Files.readAllBytes(model));
        assertTrue(proto.getMetadataPropsList().stream().anyMatch(e -> e.getKey().equals("config")
                && e.getValue().contains("\"vocabSize\":4200")));
    }
}
