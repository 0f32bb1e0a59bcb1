package dev.rlhf.engine.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rlhf.engine.graph.DType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The shape of a decoder read from a Hugging Face {@code config.json}: one record for GPT-2 and
 * Llama (fields an architecture does not use keep their neutral value). See {@code docs/models.md}
 * for the field mapping.
 *
 * @param architecture    GPT-2 or Llama, from {@code model_type}
 * @param kvHeads         key/value heads (grouped-query attention); equals {@code heads} for GPT-2
 * @param intermediate    MLP width
 * @param maxPositions    positions the model supports (learned table size, or rotary table size)
 * @param normEpsilon     LayerNorm / RMSNorm epsilon
 * @param activation      {@code gelu_new} (tanh GELU), {@code gelu} (exact) or {@code silu}
 * @param rotary          rotary embedding settings, null for learned positions
 * @param tiedEmbeddings  whether the LM head reuses the token embedding
 * @param dtype           the element type the graphs compute in (FLOAT, or DOUBLE for checks)
 */
public record ModelConfig(Architecture architecture, int vocabSize, int hiddenSize, int layers, int heads,
                          int kvHeads, int headSize, int intermediate, int maxPositions, double normEpsilon,
                          String activation, Rotary rotary, boolean tiedEmbeddings, int bosTokenId,
                          List<Integer> eosTokenIds, int padTokenId, DType dtype) {
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * Rotary tables are constants of the graph; Llama-3's 131072 positions would put 128 MB of
     * them in every session, so tables stop here (override with {@link #withMaxPositions}).
     */
    public static final int DEFAULT_ROTARY_LIMIT = 16384;

    public enum Architecture { GPT2, LLAMA }

    /**
     * @param theta   {@code rope_theta}
     * @param scaling null, or {@code linear} / {@code llama3} scaling of the inverse frequencies
     */
    public record Rotary(double theta, RopeScaling scaling) {
    }

    /** Llama-3 / linear rope scaling as in transformers' {@code modeling_rope_utils}. */
    public record RopeScaling(String type, double factor, double lowFreqFactor, double highFreqFactor,
                              int originalMaxPositions) {
    }

    public ModelConfig {
        if (heads % kvHeads != 0) {
            throw new IllegalArgumentException("num_attention_heads " + heads + " is not a multiple of num_key_value_heads " + kvHeads);
        }
        eosTokenIds = List.copyOf(eosTokenIds);
    }

    public static ModelConfig read(Path configJson) throws IOException {
        return parse(JSON.readTree(configJson.toFile()), DType.FLOAT);
    }

    public static ModelConfig parse(String json, DType dtype) {
        try {
            return parse(JSON.readTree(json), dtype);
        } catch (IOException e) {
            throw new IllegalArgumentException("config.json is not valid JSON: " + e.getMessage(), e);
        }
    }

    public static ModelConfig parse(JsonNode c, DType dtype) {
        String type = text(c, "model_type", null);
        if (type == null) throw new IllegalArgumentException("config.json has no model_type");
        return switch (type) {
            case "gpt2" -> gpt2(c, dtype);
            case "llama", "mistral" -> llama(c, dtype, type);
            default -> throw new IllegalArgumentException("config.json model_type '" + type
                    + "' is not supported (supported: gpt2, llama)");
        };
    }

    private static ModelConfig gpt2(JsonNode c, DType dtype) {
        int hidden = integer(c, "n_embd", 768);
        int heads = integer(c, "n_head", 12);
        if (bool(c, "scale_attn_by_inverse_layer_idx", false) || bool(c, "reorder_and_upcast_attn", false)) {
            throw new IllegalArgumentException("config.json: scale_attn_by_inverse_layer_idx / reorder_and_upcast_attn are not supported");
        }
        if (!bool(c, "scale_attn_weights", true)) {
            throw new IllegalArgumentException("config.json: scale_attn_weights=false is not supported");
        }
        String act = text(c, "activation_function", "gelu_new");
        if (!List.of("gelu_new", "gelu_pytorch_tanh", "gelu").contains(act)) {
            throw new IllegalArgumentException("config.json activation_function '" + act + "' is not supported for gpt2");
        }
        int inner = c.hasNonNull("n_inner") ? c.get("n_inner").asInt() : 4 * hidden;
        return new ModelConfig(Architecture.GPT2, integer(c, "vocab_size", 50257), hidden, integer(c, "n_layer", 12),
                heads, heads, hidden / heads, inner, integer(c, "n_positions", 1024),
                number(c, "layer_norm_epsilon", 1e-5), act.equals("gelu") ? "gelu" : "gelu_new", null,
                bool(c, "tie_word_embeddings", true), integer(c, "bos_token_id", 50256), eos(c, 50256),
                integer(c, "pad_token_id", -1), dtype);
    }

    private static ModelConfig llama(JsonNode c, DType dtype, String type) {
        int hidden = required(c, "hidden_size");
        int heads = required(c, "num_attention_heads");
        int kvHeads = integer(c, "num_key_value_heads", heads);
        if (bool(c, "attention_bias", false)) throw new IllegalArgumentException("config.json: attention_bias=true is not supported");
        if (bool(c, "mlp_bias", false)) throw new IllegalArgumentException("config.json: mlp_bias=true is not supported");
        if (c.hasNonNull("sliding_window") && !type.equals("llama")) {
            throw new IllegalArgumentException("config.json: sliding_window attention is not supported");
        }
        String act = text(c, "hidden_act", "silu");
        if (!act.equals("silu")) throw new IllegalArgumentException("config.json hidden_act '" + act + "' is not supported for llama (silu only)");
        int maxPositions = integer(c, "max_position_embeddings", 2048);
        // transformers 4 writes rope_theta and rope_scaling; transformers 5 one rope_parameters object
        JsonNode rope = c.hasNonNull("rope_scaling") ? c.get("rope_scaling") : c.get("rope_parameters");
        double theta = number(c, "rope_theta", rope == null || rope.isNull() ? 10000.0 : number(rope, "rope_theta", 10000.0));
        Rotary rotary = new Rotary(theta, ropeScaling(rope));
        return new ModelConfig(Architecture.LLAMA, required(c, "vocab_size"), hidden, required(c, "num_hidden_layers"),
                heads, kvHeads, c.hasNonNull("head_dim") ? c.get("head_dim").asInt() : hidden / heads,
                required(c, "intermediate_size"), Math.min(maxPositions, DEFAULT_ROTARY_LIMIT),
                number(c, "rms_norm_eps", 1e-6), act, rotary, bool(c, "tie_word_embeddings", false),
                integer(c, "bos_token_id", -1), eos(c, -1), integer(c, "pad_token_id", -1), dtype);
    }

    private static RopeScaling ropeScaling(JsonNode s) {
        if (s == null || s.isNull()) return null;
        String type = text(s, "rope_type", text(s, "type", "default"));
        return switch (type) {
            case "default" -> null;
            case "linear" -> new RopeScaling("linear", number(s, "factor", 1.0), 0, 0, 0);
            case "llama3" -> new RopeScaling("llama3", number(s, "factor", 8.0), number(s, "low_freq_factor", 1.0),
                    number(s, "high_freq_factor", 4.0), integer(s, "original_max_position_embeddings", 8192));
            default -> throw new IllegalArgumentException("config.json rope_scaling type '" + type
                    + "' is not supported (supported: default, linear, llama3)");
        };
    }

    /** The same model computing in another element type (DOUBLE for finite-difference checks). */
    public ModelConfig withDtype(DType t) {
        return new ModelConfig(architecture, vocabSize, hiddenSize, layers, heads, kvHeads, headSize, intermediate,
                maxPositions, normEpsilon, activation, rotary, tiedEmbeddings, bosTokenId, eosTokenIds, padTokenId, t);
    }

    /** Another rotary table length (Llama), e.g. the full {@code max_position_embeddings}. */
    public ModelConfig withMaxPositions(int n) {
        if (architecture == Architecture.GPT2) throw new IllegalArgumentException("GPT-2's position table has a fixed size");
        return new ModelConfig(architecture, vocabSize, hiddenSize, layers, heads, kvHeads, headSize, intermediate,
                n, normEpsilon, activation, rotary, tiedEmbeddings, bosTokenId, eosTokenIds, padTokenId, dtype);
    }

    /** Query heads sharing one key/value head. */
    public int groupSize() {
        return heads / kvHeads;
    }

    public CausalLm.LmShape lmShape() {
        return new CausalLm.LmShape(layers, kvHeads, headSize, hiddenSize, vocabSize, maxPositions, bosTokenId, eosTokenIds);
    }

    private static List<Integer> eos(JsonNode c, int fallback) {
        JsonNode e = c.get("eos_token_id");
        List<Integer> out = new ArrayList<>();
        if (e == null || e.isNull()) {
            if (fallback >= 0) out.add(fallback);
        } else if (e.isArray()) {
            e.forEach(x -> out.add(x.asInt()));
        } else {
            out.add(e.asInt());
        }
        return out;
    }

    private static int required(JsonNode c, String field) {
        JsonNode v = c.get(field);
        if (v == null || !v.isNumber()) throw new IllegalArgumentException("config.json lacks the number '" + field + "'");
        return v.asInt();
    }

    private static int integer(JsonNode c, String field, int fallback) {
        JsonNode v = c.get(field);
        return v == null || v.isNull() ? fallback : v.asInt();
    }

    private static double number(JsonNode c, String field, double fallback) {
        JsonNode v = c.get(field);
        return v == null || v.isNull() ? fallback : v.asDouble();
    }

    private static boolean bool(JsonNode c, String field, boolean fallback) {
        JsonNode v = c.get(field);
        return v == null || v.isNull() ? fallback : v.asBoolean();
    }

    private static String text(JsonNode c, String field, String fallback) {
        JsonNode v = c.get(field);
        return v == null || v.isNull() ? fallback : v.asText();
    }
}
