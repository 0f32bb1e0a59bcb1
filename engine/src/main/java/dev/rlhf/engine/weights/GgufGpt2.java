package dev.rlhf.engine.weights;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rlhf.engine.graph.DType;
import dev.rlhf.engine.graph.TensorData;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A gpt2-architecture GGUF file seen as a Hugging Face {@code GPT2LMHeadModel}: llama.cpp's names
 * mapped to transformers' ({@code transformer.h.N...}), and the four Conv1D weights llama.cpp
 * transposes to (out, in) transposed back to Hugging Face's (in, out).
 */
final class GgufGpt2 extends GgufArchitecture {
    private static final Pattern BLOCK = Pattern.compile("blk\\.(\\d+)\\.(\\w+)\\.(weight|bias)");
    private static final Map<String, String> BLOCK_NAMES = Map.of(
            "attn_norm", "ln_1", "attn_qkv", "attn.c_attn", "attn_output", "attn.c_proj",
            "ffn_norm", "ln_2", "ffn_up", "mlp.c_fc", "ffn_down", "mlp.c_proj");
    private static final Map<String, String> TOP_NAMES = Map.of(
            "token_embd", "transformer.wte", "position_embd", "transformer.wpe", "output_norm", "transformer.ln_f",
            "output", "lm_head");

    GgufGpt2(GgufFile file) throws WeightFileException {
        super(file);
        for (GgufFile.TensorInfo t : file.tensors().values()) {
            String hf = hfName(t.name());
            ggufName.put(hf, t.name());
            long[] shape = t.shape();
            shapes.put(hf, transposed(hf) ? new long[] {shape[1], shape[0]} : shape);
        }
        this.config = buildConfig();
        checkShapes();
    }

    private String hfName(String gguf) throws WeightFileException {
        int dot = gguf.lastIndexOf('.');
        if (dot > 0 && TOP_NAMES.containsKey(gguf.substring(0, dot))) {
            return TOP_NAMES.get(gguf.substring(0, dot)) + gguf.substring(dot);
        }
        Matcher m = BLOCK.matcher(gguf);
        if (m.matches() && BLOCK_NAMES.containsKey(m.group(2))) {
            return "transformer.h." + m.group(1) + "." + BLOCK_NAMES.get(m.group(2)) + "." + m.group(3);
        }
        throw new WeightFileException(file.path() + ": tensor " + gguf + " has no Hugging Face GPT-2 counterpart");
    }

    /** Conv1D weights: Hugging Face stores them (in, out). */
    private static boolean transposed(String hf) {
        return hf.endsWith(".weight") && (hf.contains(".attn.c_attn.") || hf.contains(".attn.c_proj.")
                || hf.contains(".mlp.c_fc.") || hf.contains(".mlp.c_proj."));
    }

    private ObjectNode buildConfig() throws WeightFileException {
        ObjectNode c = new ObjectMapper().createObjectNode();
        c.putArray("architectures").add("GPT2LMHeadModel");
        c.put("model_type", "gpt2");
        long embd = required("gpt2.embedding_length");
        c.put("n_embd", embd);
        c.put("n_layer", required("gpt2.block_count"));
        c.put("n_head", required("gpt2.attention.head_count"));
        long ctx = required("gpt2.context_length");
        c.put("n_positions", ctx);
        c.put("n_ctx", ctx);
        c.put("n_inner", file.integer("gpt2.feed_forward_length").orElse(4 * embd));
        c.put("layer_norm_epsilon", file.real("gpt2.attention.layer_norm_epsilon").orElse(1e-5));
        c.put("activation_function", "gelu_new");
        GgufFile.TensorInfo embed = file.tensors().get("token_embd.weight");
        if (embed == null) throw new WeightFileException(file.path() + ": tensor token_embd.weight is missing");
        c.put("vocab_size", embed.shape()[0]);
        c.put("tie_word_embeddings", !file.tensors().containsKey("output.weight"));
        c.put("torch_dtype", "float32");
        file.integer("tokenizer.ggml.bos_token_id").ifPresent(id -> c.put("bos_token_id", id));
        file.integer("tokenizer.ggml.eos_token_id").ifPresent(id -> c.put("eos_token_id", id));
        return c;
    }

    private void checkShapes() throws WeightFileException {
        long e = config.get("n_embd").asLong(), ff = config.get("n_inner").asLong(), v = config.get("vocab_size").asLong();
        Map<String, long[]> expected = new LinkedHashMap<>();
        expected.put("transformer.wte.weight", new long[] {v, e});
        expected.put("transformer.wpe.weight", new long[] {config.get("n_positions").asLong(), e});
        expected.put("transformer.ln_f.weight", new long[] {e});
        expected.put("transformer.ln_f.bias", new long[] {e});
        if (shapes.containsKey("lm_head.weight")) expected.put("lm_head.weight", new long[] {v, e});
        for (int i = 0; i < config.get("n_layer").asInt(); i++) {
            String p = "transformer.h." + i + ".";
            for (String norm : new String[] {"ln_1", "ln_2"}) {
                expected.put(p + norm + ".weight", new long[] {e});
                expected.put(p + norm + ".bias", new long[] {e});
            }
            expected.put(p + "attn.c_attn.weight", new long[] {e, 3 * e});
            expected.put(p + "attn.c_attn.bias", new long[] {3 * e});
            expected.put(p + "attn.c_proj.weight", new long[] {e, e});
            expected.put(p + "attn.c_proj.bias", new long[] {e});
            expected.put(p + "mlp.c_fc.weight", new long[] {e, ff});
            expected.put(p + "mlp.c_fc.bias", new long[] {ff});
            expected.put(p + "mlp.c_proj.weight", new long[] {ff, e});
            expected.put(p + "mlp.c_proj.bias", new long[] {e});
        }
        checkPresent(expected);
        for (String name : shapes.keySet()) {
            if (!expected.containsKey(name)) {
                throw new WeightFileException(file.path() + ": tensor " + ggufName.get(name) + " (" + name
                        + ") does not belong to a " + config.get("n_layer").asInt() + "-layer GPT-2");
            }
        }
    }

    @Override
    protected TensorData toHuggingFace(String hfName, TensorData t) {
        return transposed(hfName) ? transpose(t) : t;
    }

    private static TensorData transpose(TensorData t) {
        int rows = (int) t.dims()[0], cols = (int) t.dims()[1];
        ByteBuffer in = t.bytes();
        ByteBuffer out = ByteBuffer.allocateDirect(t.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) out.putFloat((c * rows + r) * 4, in.getFloat((r * cols + c) * 4));
        }
        return new TensorData(DType.FLOAT, new long[] {cols, rows}, out);
    }
}
