package dev.rlhf.engine.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rlhf.engine.graph.TensorData;
import dev.rlhf.engine.tokenizer.Tokenizer;
import dev.rlhf.engine.tokenizer.TokenizerGoldenTest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The real SmolLM2-135M-Instruct (GGUF, Q4_1 and Q8_0) against what transformers loads from the same
 * file (smollm2-expected.json). Opt-in: set RLHF_SMOLLM2_GGUF to the file
 * ({@code engine/src/test/python/fetch_smollm2.sh} prints its path).
 */
@EnabledIfEnvironmentVariable(named = "RLHF_SMOLLM2_GGUF", matches = ".+")
class SmolLm2GgufTest {
    private static ModelFiles files;
    private static Map<String, TensorData> tensors;
    private static JsonNode expected;

    @BeforeAll
    static void load() throws IOException {
        Path gguf = Path.of(System.getenv("RLHF_SMOLLM2_GGUF"));
        long start = System.nanoTime();
        files = ModelFiles.open(gguf);
        long opened = System.nanoTime();
        tensors = files.tensors();
        long loaded = System.nanoTime();
        System.out.printf("SmolLM2 GGUF: header and vocabulary %d ms, %d tensors dequantised to float32 in %d ms%n",
                (opened - start) / 1_000_000, tensors.size(), (loaded - opened) / 1_000_000);
        expected = Golden.json("smollm2-expected.json");
    }

    @Test
    void configDescribesSmolLm2() {
        ObjectNode c = files.config();
        assertEquals(30, c.get("num_hidden_layers").asInt());
        assertEquals(576, c.get("hidden_size").asInt());
        assertEquals(1536, c.get("intermediate_size").asInt());
        assertEquals(9, c.get("num_attention_heads").asInt());
        assertEquals(3, c.get("num_key_value_heads").asInt());
        assertEquals(49152, c.get("vocab_size").asInt());
        assertEquals(100000.0, c.get("rope_theta").asDouble());
        assertTrue(c.get("tie_word_embeddings").asBoolean());
        assertEquals(2, c.get("eos_token_id").asInt());
    }

    @Test
    void everyQuantisationTypeInTheFileIsSupported() throws IOException {
        Set<String> types = new TreeSet<>();
        for (GgufFile.TensorInfo t : GgufFile.open(files.source()).tensors().values()) {
            assertTrue(GgmlDequantizer.supports(t.type()), t.name() + " " + t.typeName());
            types.add(t.typeName());
        }
        assertEquals(Set.of("F32", "Q4_1", "Q8_0"), types);
    }

    /** Shapes, sums and end values of every tensor equal transformers' dequantised, un-permuted state dict. */
    @Test
    void tensorsEqualTransformersStateDict() {
        JsonNode want = expected.get("tensors");
        Set<String> names = new TreeSet<>();
        want.fieldNames().forEachRemaining(names::add);
        names.remove("lm_head.weight");                        // tied: transformers lists the embedding twice
        assertEquals(names, new TreeSet<>(tensors.keySet()));
        assertEquals(want.get("lm_head.weight"), want.get("model.embed_tokens.weight"));
        for (String name : names) {
            JsonNode e = want.get(name);
            TensorData t = tensors.get(name);
            assertArrayEquals(longs(e.get("shape")), t.dims(), name);
            float[] v = t.toFloats();
            double sum = 0, abs = 0;
            for (float x : v) {
                sum += x;
                abs += Math.abs(x);
            }
            assertEquals(e.get("abs_sum").asDouble(), abs, 1e-9 * abs, name + " abs sum");
            assertEquals(e.get("sum").asDouble(), sum, 1e-9 * abs, name + " sum");
            for (int i = 0; i < 4; i++) {
                assertEquals((float) e.get("first").get(i).asDouble(), v[i], name + " first[" + i + "]");
                assertEquals((float) e.get("last").get(i).asDouble(), v[v.length - 4 + i], name + " last[" + i + "]");
            }
        }
    }

    @Test
    void tokenizerAndChatPromptMatchTransformers() throws IOException {
        try (Tokenizer tok = files.tokenizer()) {
            assertEquals(49152, tok.vocabSize());
            TokenizerGoldenTest.assertMatches(expected, tok);
            JsonNode chats = expected.get("chats");
            assertFalse(chats.isEmpty());
            dev.rlhf.engine.tokenizer.ChatTemplateTest.assertChatsMatch(chats, files.chat().orElseThrow(), tok);
        }
    }

    private static long[] longs(JsonNode a) {
        long[] out = new long[a.size()];
        for (int i = 0; i < out.length; i++) out[i] = a.get(i).asLong();
        return out;
    }
}
