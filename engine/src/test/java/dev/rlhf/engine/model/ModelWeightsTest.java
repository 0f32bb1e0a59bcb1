package dev.rlhf.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rlhf.engine.checkpoint.Safetensors;
import dev.rlhf.engine.graph.DType;
import dev.rlhf.engine.graph.TensorData;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading checks every tensor by name and shape; saving writes Hugging Face names back. */
class ModelWeightsTest {
    @TempDir
    Path tmp;

    private static ModelWeights.Checkpoint llama() throws Exception {
        return ModelWeights.read(Golden.ROOT.resolve("llama"), DType.FLOAT);
    }

    private static String failure(JsonNode config, Map<String, TensorData> tensors) {
        return assertThrows(IllegalArgumentException.class, () -> {
            ModelWeights.Checkpoint c = ModelWeights.of(config, tensors, DType.FLOAT);
            DecoderLm.of(c.config(), ModelWeights.parameters(c.tensors()));
        }).getMessage();
    }

    @Test
    void aMissingTensorIsNamed() throws Exception {
        var c = llama();
        Map<String, TensorData> t = new LinkedHashMap<>(c.tensors());
        t.remove("model.layers.1.mlp.up_proj.weight");
        String message = failure(c.configJson(), t);
        assertTrue(message.contains("'model.layers.1.mlp.up_proj.weight'"), message);
    }

    @Test
    void aWrongShapeIsNamed() throws Exception {
        var c = llama();
        Map<String, TensorData> t = new LinkedHashMap<>(c.tensors());
        t.put("model.layers.0.self_attn.k_proj.weight", TensorData.zeros(DType.FLOAT, 64, 32));
        String message = failure(c.configJson(), t);
        assertTrue(message.contains("'model.layers.0.self_attn.k_proj.weight'") && message.contains("[32, 64]"), message);
    }

    @Test
    void anUnknownTensorIsNamedButBuffersAreIgnored() throws Exception {
        var c = llama();
        Map<String, TensorData> t = new LinkedHashMap<>(c.tensors());
        t.put("model.layers.0.self_attn.rotary_emb.inv_freq", TensorData.zeros(DType.FLOAT, 8));
        ModelWeights.Checkpoint withBuffer = ModelWeights.of(c.configJson(), t, DType.FLOAT);
        assertEquals(c.tensors().keySet(), withBuffer.tensors().keySet());
        t.put("model.layers.0.self_attn.q_norm.weight", TensorData.zeros(DType.FLOAT, 16));
        String message = failure(c.configJson(), t);
        assertTrue(message.contains("'model.layers.0.self_attn.q_norm.weight'"), message);
    }

    @Test
    void halfPrecisionTensorsNameTheConversionTheyNeed() throws Exception {
        var c = llama();
        Map<String, TensorData> t = new LinkedHashMap<>(c.tensors());
        t.put("model.norm.weight", new TensorData(DType.FLOAT16, new long[] {64}, ByteBuffer.allocate(128)));
        String message = failure(c.configJson(), t);
        assertTrue(message.contains("'model.norm.weight'") && message.contains("FLOAT16"), message);
    }

    /** The original OpenAI uploads name GPT-2's backbone without "transformer." and keep the causal-mask buffer. */
    @Test
    void gpt2NamesWithoutPrefixAndWithMaskBuffersLoad() throws Exception {
        var c = ModelWeights.read(Golden.ROOT.resolve("gpt2"), DType.FLOAT);
        Map<String, TensorData> old = new LinkedHashMap<>();
        c.tensors().forEach((n, v) -> old.put(n.substring(Gpt2.PREFIX.length()), v));
        old.put("h.0.attn.bias", TensorData.zeros(DType.FLOAT, 1, 1, 32, 32));
        old.put("lm_head.weight", c.tensors().get(Gpt2.TOKENS));   // tied, yet saved by some exporters
        var loaded = ModelWeights.of(c.configJson(), old, DType.FLOAT);
        assertEquals(c.tensors().keySet(), loaded.tensors().keySet());
        DecoderLm.of(loaded.config(), ModelWeights.parameters(loaded.tensors()));
    }

    /** Saved as LlamaForSequenceClassification: score.weight, no LM head, one label. */
    @Test
    void rewardModelSavesAsSequenceClassification() throws Exception {
        Golden golden = Golden.of("llama");
        var c = llama();
        DecoderLm lm = DecoderLm.of(c.config(), ModelWeights.parameters(c.tensors()));
        lm.parameters().add(RewardModel.SCORE, TensorData.ofReals(DType.FLOAT, new long[] {1, 64},
                Golden.doubles(golden.expected().get("reward").get("score_weight"))));
        Path out = tmp.resolve("reward");
        new RewardModel(lm).save(out, c.configJson());
        var saved = ModelWeights.read(out, DType.FLOAT);
        assertEquals("LlamaForSequenceClassification", saved.configJson().get("architectures").get(0).asText());
        assertEquals(1, saved.configJson().get("id2label").size());
        assertTrue(saved.tensors().containsKey(RewardModel.SCORE));
        assertTrue(!saved.tensors().containsKey(Llama.HEAD), "a reward model has no LM head");
        new RewardModel(DecoderLm.of(saved.config(), ModelWeights.parameters(saved.tensors())));
        if (System.getenv("RLHF_KEEP_SAVED_REWARD") != null) {   // for checking with transformers by hand
            new RewardModel(DecoderLm.of(c.config(), ModelWeights.parameters(saved.tensors())))
                    .save(Path.of(System.getenv("RLHF_KEEP_SAVED_REWARD")), c.configJson());
        }
    }

    @Test
    void savedWeightsReadBackUnderHuggingFaceNames() throws Exception {
        var c = llama();
        DecoderLm lm = DecoderLm.of(c.config(), ModelWeights.parameters(c.tensors()));
        Path out = tmp.resolve("saved");
        ModelWeights.save(out, c.configJson(), lm.parameters());
        var raw = Safetensors.read(out.resolve(ModelWeights.WEIGHTS)).tensors();
        assertEquals(c.tensors().keySet(), raw.keySet());
        for (String n : raw.keySet()) {
            assertArrayEquals(c.tensors().get(n).toFloats(), raw.get(n).toFloats(), n);
            assertArrayEquals(c.tensors().get(n).dims(), raw.get(n).dims(), n);
        }
        assertEquals(c.configJson(), ModelWeights.read(out, DType.FLOAT).configJson());
    }
}
