package dev.rlhf.engine.tokenizer;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A Hugging Face {@code tokenizer.json} run by the Rust tokenizers library (through DJL's
 * bindings), plus the model's special tokens. Native-backed: close it.
 */
public final class Tokenizer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String json;
    private final SpecialTokens specials;
    private final HuggingFaceTokenizer library;
    private final Map<String, Integer> tokenIds = new HashMap<>();
    private final Map<Integer, String> tokens = new HashMap<>();
    private final Set<Integer> specialIds = new HashSet<>();

    private Tokenizer(String json, SpecialTokens specials) throws IOException {
        this.json = json;
        this.specials = specials;
        JsonNode root = JSON.readTree(json);
        JsonNode vocab = root.path("model").path("vocab");
        if (vocab.isObject()) {
            vocab.fields().forEachRemaining(e -> remember(e.getKey(), e.getValue().asInt()));
        } else if (vocab.isArray()) {                         // Unigram: [[piece, score], ...]
            for (int i = 0; i < vocab.size(); i++) remember(vocab.get(i).get(0).asText(), i);
        }
        for (JsonNode added : root.path("added_tokens")) {
            int id = added.get("id").asInt();
            remember(added.get("content").asText(), id);
            if (added.path("special").asBoolean(false)) specialIds.add(id);
        }
        // Truncation and padding belong to the caller (generation batches pad themselves).
        this.library = HuggingFaceTokenizer.newInstance(
                new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)),
                Map.of("truncation", "false", "padding", "false", "addSpecialTokens", "true"));
    }

    private void remember(String token, int id) {
        tokenIds.put(token, id);
        tokens.put(id, token);
    }

    /** A tokenizer from the text of a {@code tokenizer.json}. */
    public static Tokenizer fromJson(String tokenizerJson, SpecialTokens specials) throws IOException {
        return new Tokenizer(tokenizerJson, specials);
    }

    /** A tokenizer from a {@code tokenizer.json} file. */
    public static Tokenizer load(Path tokenizerJson, SpecialTokens specials) throws IOException {
        return new Tokenizer(Files.readString(tokenizerJson, StandardCharsets.UTF_8), specials);
    }

    /** Token ids of {@code text}; {@code addSpecialTokens} runs the tokenizer's post-processor (e.g. a BOS). */
    public int[] encode(String text, boolean addSpecialTokens) {
        long[] ids = library.encode(text, addSpecialTokens, false).getIds();
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) out[i] = Math.toIntExact(ids[i]);
        return out;
    }

    /** Token ids of several texts at once (the library encodes them in parallel); no padding. */
    public int[][] encodeBatch(List<String> texts, boolean addSpecialTokens) {
        Encoding[] encodings = library.batchEncode(texts, addSpecialTokens, false);
        int[][] out = new int[encodings.length][];
        for (int i = 0; i < encodings.length; i++) {
            long[] ids = encodings[i].getIds();
            out[i] = new int[ids.length];
            for (int j = 0; j < ids.length; j++) out[i][j] = Math.toIntExact(ids[j]);
        }
        return out;
    }

    public String decode(int[] ids, boolean skipSpecialTokens) {
        long[] l = new long[ids.length];
        for (int i = 0; i < ids.length; i++) l[i] = ids[i];
        return library.decode(l, skipSpecialTokens);
    }

    /** The id of a token string (vocabulary or added token), if the tokenizer has it. */
    public OptionalInt tokenId(String token) {
        Integer id = token == null ? null : tokenIds.get(token);
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }

    /** The token string of an id, or null. */
    public String token(int id) {
        return tokens.get(id);
    }

    /** Number of ids: the largest id plus one. */
    public int vocabSize() {
        return tokens.keySet().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
    }

    public boolean isSpecial(int id) {
        return specialIds.contains(id);
    }

    public SpecialTokens specialTokens() {
        return specials;
    }

    public OptionalInt bosId() {
        return tokenId(specials.bos());
    }

    public OptionalInt eosId() {
        return tokenId(specials.eos());
    }

    public OptionalInt padId() {
        return tokenId(specials.pad());
    }

    public OptionalInt unkId() {
        return tokenId(specials.unk());
    }

    /** The {@code tokenizer.json} text this tokenizer runs. */
    public String json() {
        return json;
    }

    /** Writes {@code tokenizer.json} (the exact text this tokenizer runs). */
    public void save(Path tokenizerJson) throws IOException {
        Files.writeString(tokenizerJson, json, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        library.close();
    }
}
