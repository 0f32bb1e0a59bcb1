package dev.rlhf.engine.weights;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rlhf.engine.graph.DType;
import dev.rlhf.engine.graph.TensorData;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A llama-architecture GGUF file seen as a Hugging Face {@code LlamaForCausalLM}: llama.cpp's
 * tensor names mapped to transformers' names, the rotary row permutation llama.cpp applies to
 * q/k projections undone, and a {@code config.json} rebuilt from the {@code llama.*} metadata,
 * as transformers does when it loads a GGUF.
 */
final class GgufLlama extends GgufArchitecture {
    private static final Pattern BLOCK = Pattern.compile("blk\\.(\\d+)\\.(\\w+)\\.(weight|bias)");
    private static final Map<String, String> BLOCK_NAMES = Map.of(
            "attn_norm", "input_layernorm", "attn_q", "self_attn.q_proj", "attn_k", "self_attn.k_proj",
            "attn_v", "self_attn.v_proj", "attn_output", "self_attn.o_proj", "ffn_norm", "post_attention_layernorm",
            "ffn_gate", "mlp.gate_proj", "ffn_up", "mlp.up_proj", "ffn_down", "mlp.down_proj");
    /** Tensors llama.cpp writes that have no parameter in transformers (precomputed rope frequencies). */
    private static final Set<String> NOT_PARAMETERS = Set.of("rope_freqs.weight");

    private final int heads;
    private final int kvHeads;

    GgufLlama(GgufFile file) throws WeightFileException {
        super(file);
        this.heads = (int) required("llama.attention.head_count");
        this.kvHeads = (int) (long) file.integer("llama.attention.head_count_kv").orElse((long) heads);
        for (GgufFile.TensorInfo t : file.tensors().values()) {
            if (NOT_PARAMETERS.contains(t.name())) continue;
            String hf = hfName(t.name());
            ggufName.put(hf, t.name());
            shapes.put(hf, t.shape());
        }
        this.config = buildConfig();
        checkShapes();
    }

    private String hfName(String gguf) throws WeightFileException {
        switch (gguf) {
            case "token_embd.weight": return "model.embed_tokens.weight";
            case "output_norm.weight": return "model.norm.weight";
            case "output.weight": return "lm_head.weight";
            default:
        }
        Matcher m = BLOCK.matcher(gguf);
        if (m.matches() && BLOCK_NAMES.containsKey(m.group(2))) {
            return "model.layers." + m.group(1) + "." + BLOCK_NAMES.get(m.group(2)) + "." + m.group(3);
        }
        throw new WeightFileException(file.path() + ": tensor " + gguf + " has no Hugging Face Llama counterpart");
    }

    private ObjectNode buildConfig() throws WeightFileException {
        long hidden = required("llama.embedding_length");
        long headDim = file.integer("llama.attention.key_length").orElse(hidden / heads);
        ObjectNode c = new ObjectMapper().createObjectNode();
        c.putArray("architectures").add("LlamaForCausalLM");
        c.put("model_type", "llama");
        c.put("hidden_size", hidden);
        c.put("intermediate_size", required("llama.feed_forward_length"));
        c.put("num_hidden_layers", required("llama.block_count"));
        c.put("num_attention_heads", heads);
        c.put("num_key_value_heads", kvHeads);
        c.put("head_dim", headDim);
        long rotary = file.integer("llama.rope.dimension_count").orElse(headDim);
        if (rotary != headDim) {
            throw new WeightFileException(file.path() + ": metadata llama.rope.dimension_count = " + rotary
                    + " rotates part of each " + headDim + "-wide head, which Hugging Face's Llama does not do");
        }
        c.put("max_position_embeddings", file.integer("llama.context_length").orElse(2048L));
        c.put("rms_norm_eps", file.real("llama.attention.layer_norm_rms_epsilon").orElse(1e-6));
        c.put("rope_theta", file.real("llama.rope.freq_base").orElse(10000.0));
        if (file.string("llama.rope.scaling.type").filter(s -> !s.equals("none")).isPresent()) {
            throw new WeightFileException(file.path() + ": metadata llama.rope.scaling.type = "
                    + file.string("llama.rope.scaling.type").get() + " is not supported (only unscaled rotary embeddings)");
        }
        c.put("hidden_act", "silu");
        c.put("vocab_size", vocabSize());
        c.put("tie_word_embeddings", !file.tensors().containsKey("output.weight"));
        c.put("attention_bias", file.tensors().containsKey("blk.0.attn_q.bias"));
        c.put("mlp_bias", file.tensors().containsKey("blk.0.ffn_up.bias"));
        c.put("torch_dtype", "float32");
        putId(c, "bos_token_id", "tokenizer.ggml.bos_token_id");
        putId(c, "eos_token_id", "tokenizer.ggml.eos_token_id");
        putId(c, "pad_token_id", "tokenizer.ggml.padding_token_id");
        return c;
    }

    private long vocabSize() throws WeightFileException {
        if (file.integer("llama.vocab_size").isPresent()) return file.integer("llama.vocab_size").get();
        if (file.value("tokenizer.ggml.tokens").orElse(null) instanceof List<?> tokens) return tokens.size();
        if (file.tensors().containsKey("token_embd.weight")) return file.tensors().get("token_embd.weight").shape()[0];
        throw new WeightFileException(file.path() + ": cannot tell the vocabulary size (no llama.vocab_size, tokens or token_embd.weight)");
    }

    private void putId(ObjectNode c, String field, String key) {
        file.integer(key).ifPresent(id -> c.put(field, id));
    }

    private void checkShapes() throws WeightFileException {
        long h = config.get("hidden_size").asLong(), ff = config.get("intermediate_size").asLong();
        long v = config.get("vocab_size").asLong(), d = config.get("head_dim").asLong();
        int layers = config.get("num_hidden_layers").asInt();
        Map<String, long[]> expected = new LinkedHashMap<>();
        expected.put("model.embed_tokens.weight", new long[] {v, h});
        expected.put("model.norm.weight", new long[] {h});
        if (!config.get("tie_word_embeddings").asBoolean()) expected.put("lm_head.weight", new long[] {v, h});
        for (int i = 0; i < layers; i++) {
            String p = "model.layers." + i + ".";
            expected.put(p + "input_layernorm.weight", new long[] {h});
            expected.put(p + "post_attention_layernorm.weight", new long[] {h});
            expected.put(p + "self_attn.q_proj.weight", new long[] {heads * d, h});
            expected.put(p + "self_attn.k_proj.weight", new long[] {kvHeads * d, h});
            expected.put(p + "self_attn.v_proj.weight", new long[] {kvHeads * d, h});
            expected.put(p + "self_attn.o_proj.weight", new long[] {h, heads * d});
            expected.put(p + "mlp.gate_proj.weight", new long[] {ff, h});
            expected.put(p + "mlp.up_proj.weight", new long[] {ff, h});
            expected.put(p + "mlp.down_proj.weight", new long[] {h, ff});
        }
        checkPresent(expected);
        for (var e : shapes.entrySet()) {
            if (expected.containsKey(e.getKey())) continue;
            String name = e.getKey();
            long rows = name.contains("q_proj") ? heads * d : name.contains("k_proj") || name.contains("v_proj") ? kvHeads * d
                    : name.contains("up_proj") || name.contains("gate_proj") ? ff : h;
            boolean bias = name.endsWith(".bias");
            if (!bias || !name.startsWith("model.layers.") || !Arrays.equals(e.getValue(), new long[] {rows})) {
                throw new WeightFileException(file.path() + ": tensor " + ggufName.get(name) + " (" + name + ") of shape "
                        + Arrays.toString(e.getValue()) + " does not belong to a " + layers + "-layer Llama");
            }
        }
    }

    @Override
    protected String ggufNameFor(String hf) {
        return hf.replace("model.embed_tokens", "token_embd").replace("model.norm", "output_norm").replace("lm_head", "output");
    }

    @Override
    protected TensorData toHuggingFace(String hfName, TensorData t) {
        if (hfName.contains(".self_attn.q_proj.")) return unpermuteRows(t, heads);
        if (hfName.contains(".self_attn.k_proj.")) return unpermuteRows(t, kvHeads);
        return t;
    }

    /**
     * Undoes llama.cpp's rotary permutation of q/k rows. Per head, llama.cpp interleaves the two
     * rotary halves: its row {@code 2i + j} is Hugging Face's row {@code j·(d/2) + i}.
     */
    static TensorData unpermuteRows(TensorData t, int heads) {
        long[] dims = t.dims();
        int rows = (int) dims[0];
        int cols = dims.length > 1 ? (int) (t.elementCount() / rows) : 1;
        int half = rows / heads / 2;
        ByteBuffer in = t.bytes();
        ByteBuffer out = ByteBuffer.allocateDirect(t.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
        int rowBytes = cols * 4;
        for (int h = 0; h < heads; h++) {
            for (int i = 0; i < half; i++) {
                for (int j = 0; j < 2; j++) {
                    int from = h * 2 * half + 2 * i + j, to = h * 2 * half + j * half + i;
                    out.put(to * rowBytes, in, from * rowBytes, rowBytes);
                }
            }
        }
        return new TensorData(DType.FLOAT, dims, out);
    }
}
