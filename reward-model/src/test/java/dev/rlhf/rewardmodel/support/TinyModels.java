package dev.rlhf.rewardmodel.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rlhf.engine.graph.DType;
import dev.rlhf.engine.model.DecoderLm;
import dev.rlhf.engine.model.ModelConfig;
import dev.rlhf.engine.model.ModelWeights;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;

/**
 * A tiny GPT-2 (2 layers, width 64, 256 byte tokens, 48 positions) with fresh weights, written as a
 * Hugging Face folder: a base model the worker can load like any other, small enough to train in seconds.
 */
public final class TinyModels {

    public static final String CONFIG = """
            {"model_type": "gpt2", "vocab_size": 256, "n_positions": 48, "n_embd": 64, "n_layer": 2, "n_head": 4,
             "n_inner": 128, "activation_function": "gelu_new", "layer_norm_epsilon": 1e-5,
             "bos_token_id": 1, "eos_token_id": 2, "pad_token_id": 0, "tie_word_embeddings": true}""";

    private TinyModels() {
    }

    public static Path writeGpt2(Path dir, long seed) throws IOException {
        JsonNode json = new ObjectMapper().readTree(CONFIG);
        DecoderLm lm = DecoderLm.initialise(ModelConfig.parse(json, DType.FLOAT), new Random(seed), 0.02);
        ModelWeights.save(dir, json, lm.parameters());
        return dir;
    }
}
