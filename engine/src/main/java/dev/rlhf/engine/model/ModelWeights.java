package dev.rlhf.engine.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rlhf.engine.checkpoint.Safetensors;
import dev.rlhf.engine.graph.DType;
import dev.rlhf.engine.graph.TensorData;
import dev.rlhf.engine.train.Lora;
import dev.rlhf.engine.train.Parameters;
import dev.rlhf.engine.weights.ModelFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Hugging Face weights in and out under their own names. Files are opened by {@link ModelFiles}
 * (folders, sharded safetensors, GGUF); this class normalises the state dict (GPT-2 checkpoints without the
 * {@code transformer.} prefix, a tied {@code lm_head.weight} saved anyway, buffers such as
 * {@code attn.bias} and {@code rotary_emb.inv_freq}) and checks every tensor by name and shape.
 */
public final class ModelWeights {
    public static final String CONFIG = "config.json";
    public static final String WEIGHTS = "model.safetensors";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ModelWeights() {
    }

    /** A checkpoint as read: its config (parsed and raw, to save it back) and its tensors by Hugging Face name. */
    public record Checkpoint(JsonNode configJson, ModelConfig config, Map<String, TensorData> tensors) {
    }

    /**
     * Reads a Hugging Face folder (config.json; model.safetensors or a sharded index; f32, f16 or bf16)
     * or a GGUF file (dequantised), through {@link ModelFiles}, into Hugging Face names and {@code dtype}.
     */
    public static Checkpoint read(Path dirOrGguf, DType dtype) throws IOException {
        ModelFiles files = ModelFiles.open(dirOrGguf);
        return of(files.config(), files.tensors(), dtype);
    }

    /** A checkpoint from a config and tensors named as in the Hugging Face state dict (any source). */
    public static Checkpoint of(JsonNode configJson, Map<String, TensorData> raw, DType dtype) {
        ModelConfig config = ModelConfig.parse(configJson, dtype);
        return new Checkpoint(configJson, config, normalise(config, raw));
    }

    /** Hugging Face state-dict names as the builders use them, non-weights dropped, converted to the config's type. */
    static Map<String, TensorData> normalise(ModelConfig c, Map<String, TensorData> raw) {
        Map<String, TensorData> out = new LinkedHashMap<>();
        raw.forEach((name, t) -> {
            String n = name;
            if (c.architecture() == ModelConfig.Architecture.GPT2 && !n.startsWith(Gpt2.PREFIX)
                    && !n.equals(Gpt2.HEAD) && !n.equals(RewardModel.SCORE)) {
                n = Gpt2.PREFIX + n;   // the original OpenAI GPT-2 uploads name the backbone without its prefix
            }
            if (isBuffer(n) || (c.tiedEmbeddings() && n.equals("lm_head.weight"))) return;
            if (t.dtype() != DType.FLOAT && t.dtype() != DType.DOUBLE) {
                throw new IllegalArgumentException("tensor '" + name + "' is " + t.dtype()
                        + "; convert it to float32 on import (the weights API dequantises f16, bf16 and GGUF)");
            }
            out.put(n, t.dtype() == c.dtype() ? t : TensorData.ofReals(c.dtype(), t.dims(), t.toDoubles()));
        });
        return out;
    }

    /** Registered buffers transformers may keep in a state dict: the causal-mask and rotary caches. */
    static boolean isBuffer(String name) {
        return name.endsWith(".attn.bias") || name.endsWith(".attn.masked_bias") || name.endsWith("rotary_emb.inv_freq");
    }

    /**
     * Checks tensors against the names and shapes a model needs: a missing tensor, a wrong shape and
     * an unknown name each fail naming the tensor. {@code optional} names may be absent.
     */
    public static void check(Map<String, long[]> required, Map<String, long[]> optional,
                             Map<String, TensorData> actual, String source) {
        for (Map.Entry<String, long[]> e : required.entrySet()) {
            if (!actual.containsKey(e.getKey())) {
                throw new IllegalArgumentException(source + " lack the tensor '" + e.getKey() + "' " + Arrays.toString(e.getValue()));
            }
        }
        for (Map.Entry<String, TensorData> e : actual.entrySet()) {
            String name = e.getKey();
            if (name.endsWith(Lora.A) || name.endsWith(Lora.B)) continue;
            long[] want = required.containsKey(name) ? required.get(name) : optional.get(name);
            if (want == null) {
                throw new IllegalArgumentException(source + " hold the unknown tensor '" + name + "' "
                        + Arrays.toString(e.getValue().dims()) + " (not part of this architecture)");
            }
            if (!Arrays.equals(want, e.getValue().dims())) {
                throw new IllegalArgumentException(source + ": tensor '" + name + "' has shape "
                        + Arrays.toString(e.getValue().dims()) + ", the config needs " + Arrays.toString(want));
            }
        }
    }

    /** Parameters (all trainable) holding the given tensors. */
    public static Parameters parameters(Map<String, TensorData> tensors) {
        Parameters p = new Parameters();
        tensors.forEach(p::add);
        return p;
    }

    /**
     * Writes {@value #CONFIG} and {@value #WEIGHTS} (float32, Hugging Face names) so that
     * transformers' {@code from_pretrained} reads the folder. LoRA adapters must be merged first.
     * Written to a temporary folder and renamed into place.
     */
    public static void save(Path dir, JsonNode configJson, Parameters p) throws IOException {
        if (p.lora() != null) throw new IllegalStateException("merge the LoRA adapters before saving (Lora.merge)");
        Map<String, TensorData> tensors = new LinkedHashMap<>();
        for (String n : p.names()) {
            TensorData t = p.get(n);
            tensors.put(n, t.dtype() == DType.FLOAT ? t : TensorData.ofReals(DType.FLOAT, t.dims(), t.toDoubles()));
        }
        Path parent = dir.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempDirectory(parent, dir.getFileName() + ".tmp");
        Safetensors.write(tmp.resolve(WEIGHTS), tensors, Map.of("format", "pt"));
        JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.resolve(CONFIG).toFile(), configJson);
        if (Files.exists(dir)) {
            for (Path f : new Path[] {dir.resolve(WEIGHTS), dir.resolve(CONFIG)}) Files.deleteIfExists(f);
            Files.move(tmp.resolve(WEIGHTS), dir.resolve(WEIGHTS), StandardCopyOption.ATOMIC_MOVE);
            Files.move(tmp.resolve(CONFIG), dir.resolve(CONFIG), StandardCopyOption.ATOMIC_MOVE);
            Files.delete(tmp);
        } else {
            Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
        }
    }
}
