package dev.rlhf.engine.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rlhf.engine.checkpoint.Safetensors;
import dev.rlhf.engine.graph.TensorData;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A GGUF Llama seen as transformers sees it: same state dict (names, un-permuted q/k) and config. */
class GgufLlamaTest {
    @Test
    void tensorsEqualTheStateDictTransformersLoadsFromTheSameFile() throws IOException {
        ModelFiles files = ModelFiles.open(Golden.file("tiny-llama.gguf"));
        assertEquals(ModelFiles.Format.GGUF, files.format());
        Map<String, TensorData> expected = Golden.expectedTensors("tiny-llama-expected.safetensors");
        Golden.assertSameTensors(expected, files.tensors());
    }

    @Test
    void qAndKRowsAreUnpermutedAndDifferFromTheFileOrder() throws IOException {
        ModelFiles files = ModelFiles.open(Golden.file("tiny-llama.gguf"));
        GgufFile raw = GgufFile.open(Golden.file("tiny-llama.gguf"));
        float[] inFile = raw.dequantize("blk.0.attn_k.weight").toFloats();
        float[] hf = files.tensor("model.layers.0.self_attn.k_proj.weight").toFloats();
        assertTrue(!java.util.Arrays.equals(inFile, hf), "the permutation must change the row order");
        // head 1 of 2 kv heads, head_dim 16: file row 2*3+1 = 7 (pair 3, second half) is HF row 8*1 + 3 = 11, offset by 16
        int cols = 64;
        assertEquals(inFile[(16 + 7) * cols + 5], hf[(16 + 11) * cols + 5]);
    }

    @Test
    void configMatchesTransformersConfigForTheFile() throws IOException {
        ObjectNode config = ModelFiles.open(Golden.file("tiny-llama.gguf")).config();
        JsonNode expected = Golden.json("tiny-llama-expected.json").get("config");
        expected.fields().forEachRemaining(e -> {
            JsonNode actual = config.get(e.getKey());
            assertTrue(actual != null, "config lacks " + e.getKey());
            if (e.getValue().isNumber()) assertEquals(e.getValue().asDouble(), actual.asDouble(), e.getKey());
            else assertEquals(e.getValue(), actual, e.getKey());
        });
        assertEquals("LlamaForCausalLM", config.get("architectures").get(0).asText());
    }

    @Test
    void unknownTensorNameFailsNamingTheTensor() {
        WeightFileException e = assertThrows(WeightFileException.class,
                () -> ModelFiles.open(Golden.file("tiny-llama-bad-name.gguf")));
        assertTrue(e.getMessage().contains("blk.0.attn_qkv.weight"), e.getMessage());
    }

    @Test
    void wrongShapeFailsNamingTheTensorAndBothShapes() {
        WeightFileException e = assertThrows(WeightFileException.class,
                () -> ModelFiles.open(Golden.file("tiny-llama-bad-shape.gguf")));
        assertTrue(e.getMessage().contains("token_embd.weight") && e.getMessage().contains("[10, 9]")
                && e.getMessage().contains("[10, 8]"), e.getMessage());
    }
}
