package dev.rlhf.engine.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rlhf.engine.weights.GgufFile;
import dev.rlhf.engine.weights.Golden;
import dev.rlhf.engine.weights.ModelFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Token ids against transformers' AutoTokenizer for the same files (tiny-llama-expected.json). */
public class TokenizerGoldenTest {
    @Test
    void ggufVocabularyEncodesAndDecodesLikeTransformers() throws IOException {
        JsonNode expected = Golden.json("tiny-llama-expected.json");
        try (Tokenizer tok = ModelFiles.open(Golden.file("tiny-llama.gguf")).tokenizer()) {
            assertMatches(expected, tok);
        }
    }

    /** add_bos_token = true (BOS from the post-processor) and tokenizer.ggml.pre = llama-bpe (llama-3's split regex). */
    @Test
    void ggufVocabularyWithBosAndLlama3SplitEncodesLikeTransformers() throws IOException {
        JsonNode expected = Golden.json("tiny-vocab-bos-llama3-expected.json");
        Map<String, Object> metadata = GgufFile.open(Golden.file("tiny-vocab-bos-llama3.gguf")).metadata();
        try (Tokenizer tok = Tokenizer.fromJson(GgufVocabulary.tokenizerJson(metadata), GgufVocabulary.specialTokens(metadata))) {
            for (Map.Entry<String, JsonNode> e : fields(expected.get("token_ids"))) {
                assertArrayEquals(ints(e.getValue()), tok.encode(e.getKey(), false), e.getKey());
            }
            for (Map.Entry<String, JsonNode> e : fields(expected.get("token_ids_with_specials"))) {
                int[] ids = tok.encode(e.getKey(), true);
                assertArrayEquals(ints(e.getValue()), ids, "with specials: " + e.getKey());
                assertEquals(0, ids[0]);
            }
        }
    }

    /** tokenizer.ggml.model = llama: byte fallback, merges recovered from scores, BOS by default. */
    @Test
    void sentencePieceVocabularyEncodesAndDecodesLikeTransformers() throws IOException {
        Map<String, Object> metadata = GgufFile.open(Golden.file("tiny-vocab-spm.gguf")).metadata();
        try (Tokenizer tok = Tokenizer.fromJson(GgufVocabulary.tokenizerJson(metadata), GgufVocabulary.specialTokens(metadata))) {
            assertMatches(Golden.json("tiny-vocab-spm-expected.json"), tok);
        }
    }

    @Test
    void folderTokenizerJsonEncodesLikeTransformers() throws IOException {
        JsonNode expected = Golden.json("tiny-llama-expected.json").get("folder_token_ids");
        try (Tokenizer tok = ModelFiles.open(Golden.file("tiny-llama-f16")).tokenizer()) {
            for (Map.Entry<String, JsonNode> e : fields(expected)) {
                assertArrayEquals(ints(e.getValue()), tok.encode(e.getKey(), false), e.getKey());
            }
            assertEquals(2, tok.eosId().getAsInt());
            assertEquals(1, tok.bosId().getAsInt());
        }
    }

    @Test
    void savedTokenizerJsonLoadsToTheSameTokenizer(@TempDir Path dir) throws IOException {
        try (Tokenizer tok = ModelFiles.open(Golden.file("tiny-llama.gguf")).tokenizer()) {
            tok.save(dir.resolve("tokenizer.json"));
            try (Tokenizer again = Tokenizer.load(dir.resolve("tokenizer.json"), tok.specialTokens())) {
                String text = "<|im_start|>user\nunicode: café 🙂 12345<|im_end|>";
                assertArrayEquals(tok.encode(text, true), again.encode(text, true));
                assertEquals(tok.vocabSize(), again.vocabSize());
            }
        }
    }

    @Test
    void batchEncodingEqualsOneByOneWithoutPadding() throws IOException {
        JsonNode expected = Golden.json("tiny-llama-expected.json").get("token_ids");
        List<String> texts = new ArrayList<>();
        expected.fieldNames().forEachRemaining(texts::add);
        try (Tokenizer tok = ModelFiles.open(Golden.file("tiny-llama.gguf")).tokenizer()) {
            int[][] batch = tok.encodeBatch(texts, false);
            for (int i = 0; i < texts.size(); i++) assertArrayEquals(ints(expected.get(texts.get(i))), batch[i], texts.get(i));
        }
    }

    @Test
    void longTextsAreNeitherTruncatedNorPadded() throws IOException {
        try (Tokenizer tok = ModelFiles.open(Golden.file("tiny-llama.gguf")).tokenizer()) {
            int[] one = tok.encode(" world", false);          // each " world" is its own pre-token
            int[] many = tok.encode(" world".repeat(600), false);
            assertEquals(600 * one.length, many.length);
        }
    }

    public static void assertMatches(JsonNode expected, Tokenizer tok) {
        JsonNode specials = expected.get("special_tokens");
        assertEquals(specials.get("bos").textValue(), tok.specialTokens().bos());
        assertEquals(specials.get("eos").textValue(), tok.specialTokens().eos());
        assertEquals(specials.get("pad").textValue(), tok.specialTokens().pad());
        assertEquals(specials.get("unk").textValue(), tok.specialTokens().unk());
        for (Map.Entry<String, JsonNode> e : fields(expected.get("token_ids"))) {
            int[] ids = ints(e.getValue());
            assertArrayEquals(ids, tok.encode(e.getKey(), false), e.getKey());
            assertEquals(expected.get("decoded").get(e.getKey()).asText(), tok.decode(ids, false), "decode " + e.getKey());
            assertEquals(expected.get("decoded_skip_special").get(e.getKey()).asText(), tok.decode(ids, true),
                    "decode skipping specials " + e.getKey());
        }
        for (Map.Entry<String, JsonNode> e : fields(expected.get("token_ids_with_specials"))) {
            assertArrayEquals(ints(e.getValue()), tok.encode(e.getKey(), true), "with specials: " + e.getKey());
        }
        assertTrue(tok.isSpecial(tok.eosId().getAsInt()));
    }

    public static Iterable<Map.Entry<String, JsonNode>> fields(JsonNode node) {
        return node::fields;
    }

    public static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) out[i] = array.get(i).asInt();
        return out;
    }
}
