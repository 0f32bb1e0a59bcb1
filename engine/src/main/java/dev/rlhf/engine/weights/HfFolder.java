package dev.rlhf.engine.weights;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rlhf.engine.checkpoint.Safetensors;
import dev.rlhf.engine.graph.TensorData;
import dev.rlhf.engine.tokenizer.SpecialTokens;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Writes a model as a Hugging Face folder that transformers and {@link ModelFiles#open} read:
 * config.json, model.safetensors (tensors as given, under Hugging Face names), tokenizer.json and
 * tokenizer_config.json. The folder is written beside its destination and renamed into place, so
 * a reader never sees half of it.
 */
public final class HfFolder {
    private static final ObjectMapper JSON = new ObjectMapper();

    private HfFolder() {
    }

    /** {@code tokenizerJson}, {@code chatTemplate} may be null (not written); {@code dir} must not exist. */
    public static void write(Path dir, ObjectNode config, Map<String, TensorData> tensors, String tokenizerJson,
                             SpecialTokens specials, String chatTemplate) throws IOException {
        if (Files.exists(dir)) throw new WeightFileException(dir + " already exists");
        Path parent = dir.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempDirectory(parent, "." + dir.getFileName() + ".");
        try {
            Files.writeString(tmp.resolve("config.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(config));
            Safetensors.write(tmp.resolve(SafetensorsCheckpoint.SINGLE), tensors, Map.of("format", "pt"));
            if (tokenizerJson != null) Files.writeString(tmp.resolve("tokenizer.json"), tokenizerJson, StandardCharsets.UTF_8);
            ObjectNode tc = JSON.createObjectNode();
            tc.put("tokenizer_class", "PreTrainedTokenizerFast");
            specials.bosToken().ifPresent(t -> tc.put("bos_token", t));
            specials.eosToken().ifPresent(t -> tc.put("eos_token", t));
            specials.padToken().ifPresent(t -> tc.put("pad_token", t));
            specials.unkToken().ifPresent(t -> tc.put("unk_token", t));
            if (chatTemplate != null) tc.put("chat_template", chatTemplate);
            Files.writeString(tmp.resolve("tokenizer_config.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(tc));
            Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            deleteTree(tmp);
            throw e;
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) return;
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
