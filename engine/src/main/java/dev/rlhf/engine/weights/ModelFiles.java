package dev.rlhf.engine.weights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rlhf.engine.graph.TensorData;
import dev.rlhf.engine.tokenizer.ChatTemplate;
import dev.rlhf.engine.tokenizer.GgufVocabulary;
import dev.rlhf.engine.tokenizer.SpecialTokens;
import dev.rlhf.engine.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A model as the files people have: a Hugging Face folder ({@code config.json},
 * {@code model.safetensors} or a sharded index, {@code tokenizer.json}, {@code tokenizer_config.json})
 * or one GGUF file. Either way it is seen as Hugging Face sees it: a {@code config.json}, float32
 * tensors under Hugging Face names (GGUF dequantised, q/k rows un-permuted), a tokenizer and the
 * chat template.
 *
 * <pre>{@code
 * ModelFiles files = ModelFiles.open(Path.of("SmolLM2-135M-Instruct.Q4_1.gguf"));
 * ObjectNode config = files.config();                  // "model_type": "llama", "hidden_size": 576, ...
 * Map<String, TensorData> weights = files.tensors();   // "model.layers.0.self_attn.q_proj.weight" -> FLOAT[576, 576]
 * try (Tokenizer tok = files.tokenizer()) { int[] ids = tok.encode("Hello", false); }
 * }</pre>
 */
public final class ModelFiles {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Where the files came from. */
    public enum Format { HF_FOLDER, GGUF }

    private final Path source;
    private final Format format;
    private final ObjectNode config;
    private final TensorSource tensors;
    private final TokenizerFiles tokenizer;

    /** The tokenizer.json text (built on first use; null when the model has none), its special tokens and chat template. */
    private record TokenizerFiles(Supplier<String> json, SpecialTokens specials, String chatTemplate) {
    }

    private ModelFiles(Path source, Format format, ObjectNode config, TensorSource tensors, TokenizerFiles tokenizer) {
        this.source = source;
        this.format = format;
        this.config = config;
        this.tensors = tensors;
        this.tokenizer = tokenizer;
    }

    /** Opens a Hugging Face folder or a {@code .gguf} file; headers are read, tensor data is not. */
    public static ModelFiles open(Path dirOrGguf) throws IOException {
        if (Files.isDirectory(dirOrGguf)) return openFolder(dirOrGguf);
        if (!Files.exists(dirOrGguf)) throw new WeightFileException(dirOrGguf + " does not exist");
        return openGguf(dirOrGguf);
    }

    private static ModelFiles openGguf(Path file) throws IOException {
        GgufFile gguf = GgufFile.open(file);
        String arch = gguf.string("general.architecture").orElse("(none)");
        ObjectNode config;
        TensorSource tensors;
        switch (arch) {
            case "llama" -> {
                GgufLlama llama = new GgufLlama(gguf);
                config = llama.config();
                tensors = llama;
            }
            case "gpt2" -> {
                GgufGpt2 gpt2 = new GgufGpt2(gguf);
                config = gpt2.config();
                tensors = gpt2;
            }
            default -> throw new WeightFileException(file + ": general.architecture = " + arch
                    + " is not supported (llama and gpt2 are)");
        }
        TokenizerFiles tok;
        if (gguf.string("tokenizer.ggml.model").isPresent()) {
            try {
                Supplier<String> json = memoize(() -> GgufVocabulary.tokenizerJson(gguf.metadata()));
                tok = new TokenizerFiles(json, GgufVocabulary.specialTokens(gguf.metadata()),
                        gguf.string("tokenizer.chat_template").orElse(null));
            } catch (IllegalArgumentException | ClassCastException e) {
                throw new WeightFileException(file + ": tokenizer metadata: " + e.getMessage(), e);
            }
        } else {
            tok = new TokenizerFiles(() -> null, SpecialTokens.none(), gguf.string("tokenizer.chat_template").orElse(null));
        }
        if (arch.equals("llama")) withBothRopeSpellings(config);
        return new ModelFiles(file, Format.GGUF, config, tensors, tok);
    }

    private static ModelFiles openFolder(Path dir) throws IOException {
        Path configFile = dir.resolve("config.json");
        if (!Files.exists(configFile)) throw new WeightFileException(dir + " has no config.json");
        JsonNode config = JSON.readTree(configFile.toFile());
        if (!config.isObject()) throw new WeightFileException(configFile + " is not a JSON object");
        SafetensorsCheckpoint weights = SafetensorsCheckpoint.open(dir);
        Path tokenizerJson = dir.resolve("tokenizer.json");
        String json = Files.exists(tokenizerJson) ? Files.readString(tokenizerJson, StandardCharsets.UTF_8) : null;
        TokenizerConfig tc = TokenizerConfig.read(dir);
        return new ModelFiles(dir, Format.HF_FOLDER, withBothRopeSpellings((ObjectNode) config), weights,
                new TokenizerFiles(() -> json, tc.specials(), tc.chatTemplate()));
    }

    /**
     * transformers 4 writes {@code rope_theta} at the top level, transformers 5 inside
     * {@code rope_parameters}; the config handed out carries both, so readers need look in one place.
     */
    static ObjectNode withBothRopeSpellings(ObjectNode config) {
        JsonNode nested = config.path("rope_parameters").path("rope_theta");
        if (!config.has("rope_theta") && nested.isNumber()) config.set("rope_theta", nested);
        if (!config.has("rope_parameters") && config.path("rope_theta").isNumber()) {
            config.putObject("rope_parameters").put("rope_type", "default").set("rope_theta", config.get("rope_theta"));
        }
        return config;
    }

    private static Supplier<String> memoize(Supplier<String> s) {
        return new Supplier<>() {
            private String value;

            @Override
            public synchronized String get() {
                if (value == null) value = s.get();
                return value;
            }
        };
    }

    public Path source() {
        return source;
    }

    public Format format() {
        return format;
    }

    /**
     * The Hugging Face {@code config.json} (a copy: changing it changes nothing here). It carries the
     * rotary base both as {@code rope_theta} and as {@code rope_parameters.rope_theta}.
     */
    public ObjectNode config() {
        return config.deepCopy();
    }

    /** {@code config.json}'s {@code model_type}, e.g. {@code llama} or {@code gpt2}. */
    public String modelType() {
        return config.path("model_type").asText("");
    }

    /** Hugging Face tensor name to shape, without reading any tensor data. */
    public Map<String, long[]> tensorShapes() {
        return tensors.shapes();
    }

    /** One tensor under its Hugging Face name, float32 (integer buffers keep their type). */
    public TensorData tensor(String hfName) throws IOException {
        return tensors.load(hfName);
    }

    /**
     * Every tensor under its Hugging Face name, in file order, float32. Safetensors F32 tensors are
     * views of memory maps (no copy); F16/BF16 and GGUF tensors are converted into direct buffers.
     */
    public Map<String, TensorData> tensors() throws IOException {
        Map<String, TensorData> out = new LinkedHashMap<>();
        for (String name : tensors.shapes().keySet()) out.put(name, tensors.load(name));
        return out;
    }

    /** Whether the model carries a tokenizer (tokenizer.json, or a GGUF vocabulary). */
    public boolean hasTokenizer() {
        return tokenizer.json().get() != null;
    }

    /** A new tokenizer for this model; the caller closes it. */
    public Tokenizer tokenizer() throws IOException {
        String json;
        try {
            json = tokenizer.json().get();
        } catch (IllegalArgumentException | ClassCastException e) {
            throw new WeightFileException(source + ": tokenizer metadata: " + e.getMessage(), e);
        }
        if (json == null) {
            throw new WeightFileException(source + " has no tokenizer (" + (format == Format.GGUF
                    ? "no tokenizer.ggml.model metadata" : "no tokenizer.json") + ")");
        }
        return Tokenizer.fromJson(json, tokenizer.specials());
    }

    /** The special token strings (bos, eos, pad, unk) the model names. */
    public SpecialTokens specialTokens() {
        return tokenizer.specials();
    }

    /** The model's own Jinja chat template, if it has one. */
    public Optional<String> chatTemplate() {
        return Optional.ofNullable(tokenizer.chatTemplate());
    }

    /** The model's chat template, ready to apply, if it has one. */
    public Optional<ChatTemplate> chat() {
        return chatTemplate().map(t -> ChatTemplate.of(t, tokenizer.specials()));
    }

    /**
     * Writes this model as a Hugging Face folder (config.json, model.safetensors in float32,
     * tokenizer.json, tokenizer_config.json with the chat template) into {@code dir}.
     */
    public void saveAsHfFolder(Path dir) throws IOException {
        HfFolder.write(dir, config(), tensors(), tokenizer.json().get(), tokenizer.specials(), chatTemplate().orElse(null));
    }
}
