package dev.rlhf.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rlhf.engine.graph.DType;
import dev.rlhf.engine.graph.TensorData;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** config.json of real checkpoints mapped to builder shapes, and rotary tables against transformers. */
class ModelConfigTest {
    /** HuggingFaceTB/SmolLM2-135M-Instruct's config.json (transformers 4 keys). */
    static final String SMOLLM2 = """
            {"architectures": ["LlamaForCausalLM"], "attention_bias": false, "attention_dropout": 0.0,
             "bos_token_id": 1, "eos_token_id": 2, "hidden_act": "silu", "hidden_size": 576,
             "initializer_range": 0.041666666666666664, "intermediate_size": 1536, "is_llama_config": true,
             "max_position_embeddings": 8192, "model_type": "llama", "num_attention_heads": 9,
             "num_hidden_layers": 30, "num_key_value_heads": 3, "pad_token_id": 2, "pretraining_tp": 1,
             "rms_norm_eps": 1e-05, "rope_interleaved": false, "rope_scaling": null, "rope_theta": 100000,
             "tie_word_embeddings": true, "torch_dtype": "bfloat16", "use_cache": true, "vocab_size": 49152}""";

    @Test
    void smolLm2IsATiedGroupedQueryLlama() {
        ModelConfig c = ModelConfig.parse(SMOLLM2, DType.FLOAT);
        assertEquals(ModelConfig.Architecture.LLAMA, c.architecture());
        assertEquals(List.of(576, 30, 9, 3, 64, 1536, 49152), List.of(c.hiddenSize(), c.layers(), c.heads(), c.kvHeads(),
                c.headSize(), c.intermediate(), c.vocabSize()));
        assertTrue(c.tiedEmbeddings());
        assertEquals(100000.0, c.rotary().theta());
        assertEquals(1e-5, c.normEpsilon());
        assertEquals(List.of(2), c.eosTokenIds());
        Map<String, long[]> shapes = DecoderLm.parameterShapes(c);
        assertEquals(2 + 30 * 9, shapes.size(), "embedding, final norm and nine tensors per layer; no lm_head");
        assertArrayEquals(new long[] {192, 576}, shapes.get("model.layers.29.self_attn.k_proj.weight"));
        assertArrayEquals(new long[] {576, 1536}, shapes.get("model.layers.0.mlp.down_proj.weight"));
        long count = shapes.values().stream().mapToLong(TensorData::elementCount).sum();
        assertEquals(134_515_008L, count, "SmolLM2-135M's parameter count");
    }

    @Test
    void tinyLlamaHasAnUntiedHead() {
        ModelConfig c = ModelConfig.parse("""
                {"model_type": "llama", "hidden_size": 2048, "intermediate_size": 5632, "num_attention_heads": 32,
                 "num_key_value_heads": 4, "num_hidden_layers": 22, "vocab_size": 32000, "rms_norm_eps": 1e-05,
                 "max_position_embeddings": 2048, "rope_theta": 10000.0, "tie_word_embeddings": false,
                 "bos_token_id": 1, "eos_token_id": 2}""", DType.FLOAT);
        assertEquals(8, c.groupSize());
        assertArrayEquals(new long[] {32000, 2048}, DecoderLm.parameterShapes(c).get(Llama.HEAD));
        assertEquals(2048, c.lmShape().maxPositions());
    }

    /** Llama-3.2-1B's config.json: tied, eight key/value heads, llama3 rope scaling, three eos ids. */
    @Test
    void llama32ReadsItsRopeScalingAndEosList() {
        ModelConfig c = ModelConfig.parse("""
                {"architectures": ["LlamaForCausalLM"], "attention_bias": false, "bos_token_id": 128000,
                 "eos_token_id": [128001, 128008, 128009], "head_dim": 64, "hidden_act": "silu", "hidden_size": 2048,
                 "intermediate_size": 8192, "max_position_embeddings": 131072, "mlp_bias": false, "model_type": "llama",
                 "num_attention_heads": 32, "num_hidden_layers": 16, "num_key_value_heads": 8, "rms_norm_eps": 1e-05,
                 "rope_scaling": {"factor": 32.0, "high_freq_factor": 4.0, "low_freq_factor": 1.0,
                                  "original_max_position_embeddings": 8192, "rope_type": "llama3"},
                 "rope_theta": 500000.0, "tie_word_embeddings": true, "vocab_size": 128256}""", DType.FLOAT);
        assertEquals(List.of(128001, 128008, 128009), c.eosTokenIds());
        assertEquals(500000.0, c.rotary().theta());
        assertEquals(new ModelConfig.RopeScaling("llama3", 32.0, 1.0, 4.0, 8192), c.rotary().scaling());
        assertEquals(ModelConfig.DEFAULT_ROTARY_LIMIT, c.maxPositions(), "rotary tables stop at the default limit");
        assertEquals(131072, c.withMaxPositions(131072).maxPositions());
        assertEquals(4, c.groupSize());
    }

    @Test
    void unsupportedSettingsFailNamingThem() {
        var yarn = assertThrows(IllegalArgumentException.class, () -> ModelConfig.parse("""
                {"model_type": "llama", "hidden_size": 8, "intermediate_size": 8, "num_attention_heads": 2,
                 "num_hidden_layers": 1, "vocab_size": 8, "rope_scaling": {"rope_type": "yarn", "factor": 4.0}}""", DType.FLOAT));
        assertTrue(yarn.getMessage().contains("'yarn'"), yarn.getMessage());
        var type = assertThrows(IllegalArgumentException.class, () -> ModelConfig.parse("{\"model_type\": \"bert\"}", DType.FLOAT));
        assertTrue(type.getMessage().contains("'bert'"), type.getMessage());
        var missing = assertThrows(IllegalArgumentException.class, () -> ModelConfig.parse(
                "{\"model_type\": \"llama\", \"hidden_size\": 8, \"num_attention_heads\": 2}", DType.FLOAT));
        assertTrue(missing.getMessage().contains("vocab_size"), missing.getMessage());
        var bias = assertThrows(IllegalArgumentException.class, () -> ModelConfig.parse("""
                {"model_type": "llama", "hidden_size": 8, "intermediate_size": 8, "num_attention_heads": 2,
                 "num_hidden_layers": 1, "vocab_size": 8, "attention_bias": true}""", DType.FLOAT));
        assertTrue(bias.getMessage().contains("attention_bias"), bias.getMessage());
    }

    /** Default, linear and Llama-3 rope scaling: the tables equal LlamaRotaryEmbedding's cos and sin. */
    @Test
    void rotaryTablesMatchTransformers() throws Exception {
        JsonNode cases = new ObjectMapper().readTree(Golden.ROOT.resolve("rope.json").toFile());
        for (var it = cases.fields(); it.hasNext(); ) {
            var e = it.next();
            ModelConfig c = ModelConfig.parse(e.getValue().get("config"), DType.FLOAT);
            TensorData[] tables = RotaryEmbedding.tables(c);
            double[] cos = tables[0].toDoubles(), sin = tables[1].toDoubles();
            int d = c.headSize();
            JsonNode positions = e.getValue().get("positions");
            for (int k = 0; k < positions.size(); k++) {
                int p = positions.get(k).asInt();
                double[] wantCos = Golden.doubles(e.getValue().get("cos").get(k));
                double[] wantSin = Golden.doubles(e.getValue().get("sin").get(k));
                for (int i = 0; i < d; i++) {
                    double signedSin = i < d / 2 ? -wantSin[i] : wantSin[i];
                    assertEquals(wantCos[i], cos[p * d + i], 2e-6, e.getKey() + " cos at position " + p + ", " + i);
                    assertEquals(signedSin, sin[p * d + i], 2e-6, e.getKey() + " sin at position " + p + ", " + i);
                }
            }
        }
    }
}
