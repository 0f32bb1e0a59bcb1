package dev.rlhf.engine.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rlhf.engine.graph.TensorData;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A GGUF GPT-2 seen as transformers sees it: Conv1D weights transposed back, transformer.* names. */
class GgufGpt2Test {
    @Test
    void tensorsEqualTheStateDictTransformersLoadsFromTheSameFile() throws IOException {
        ModelFiles files = ModelFiles.open(Golden.file("tiny-gpt2.gguf"));
        Map<String, TensorData> expected = Golden.expectedTensors("tiny-gpt2-expected.safetensors");
        Golden.assertSameTensors(expected, files.tensors());
        assertEquals(32, files.tensorShapes().get("transformer.h.0.attn.c_attn.weight")[0], "Conv1D layout is (in, out)");
    }

    @Test
    void configMatchesTransformersConfigForTheFile() throws IOException {
        ObjectNode config = ModelFiles.open(Golden.file("tiny-gpt2.gguf")).config();
        JsonNode expected = Golden.json("tiny-gpt2-expected.json").get("config");
        expected.fields().forEachRemaining(e -> {
            JsonNode actual = config.get(e.getKey());
            assertTrue(actual != null, "config lacks " + e.getKey());
            if (e.getValue().isNumber()) assertEquals(e.getValue().asDouble(), actual.asDouble(), e.getKey());
            else assertEquals(e.getValue(), actual, e.getKey());
        });
        assertEquals(128, config.get("n_inner").asInt());
    }
}
