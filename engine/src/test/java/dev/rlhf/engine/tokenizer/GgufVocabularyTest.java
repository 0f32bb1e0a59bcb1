package dev.rlhf.engine.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rlhf.engine.weights.GgufFile;
import dev.rlhf.engine.weights.Golden;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The tokenizer.json built from a GGUF vocabulary equals, field by field, the one transformers writes for the same file. */
class GgufVocabularyTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void byteLevelVocabularyGivesTransformersTokenizerJson() throws IOException {
        assertSameTokenizerJson("tiny-llama.gguf", "tiny-llama-transformers-tokenizer.json");
    }

    /** Including the merges recovered from the scores, in transformers' order. */
    @Test
    void sentencePieceVocabularyGivesTransformersTokenizerJson() throws IOException {
        assertSameTokenizerJson("tiny-vocab-spm.gguf", "tiny-vocab-spm-transformers-tokenizer.json");
    }

    @Test
    void unknownTokenizerModelIsRefusedByName() {
        Map<String, Object> metadata = new HashMap<>();
        metadata.put("tokenizer.ggml.model", "bert");
        metadata.put("tokenizer.ggml.tokens", List.of("a"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GgufVocabulary.tokenizerJson(metadata));
        assertTrue(e.getMessage().contains("tokenizer.ggml.model = bert"), e.getMessage());
    }

    private static void assertSameTokenizerJson(String gguf, String expectedJson) throws IOException {
        JsonNode actual = JSON.readTree(GgufVocabulary.tokenizerJson(GgufFile.open(Golden.file(gguf)).metadata()));
        JsonNode expected = Golden.json(expectedJson);
        List<String> fields = new ArrayList<>();
        expected.fieldNames().forEachRemaining(fields::add);
        for (String field : fields) {
            if (field.equals("added_tokens")) assertEquals(byId(expected.get(field)), byId(actual.get(field)), field);
            else assertEquals(expected.get(field), actual.get(field), field);
        }
        assertEquals(fields.size(), actual.size(), "no extra fields");
        assertTrue(expected.get("model").get("merges").size() > 10);
    }

    private static ArrayNode byId(JsonNode tokens) {
        List<JsonNode> list = new ArrayList<>();
        tokens.forEach(list::add);
        list.sort(Comparator.comparingInt(t -> t.get("id").asInt()));
        ArrayNode out = JSON.createArrayNode();
        list.forEach(t -> out.add((ObjectNode) t));
        return out;
    }
}
