package dev.rlhf.engine.generate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rlhf.engine.checkpoint.Safetensors;
import dev.rlhf.engine.graph.TensorData;
import dev.rlhf.engine.model.CausalLm;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A versioned model in the artifact registry, {@code <root>/<kind>/<version>/}: {@value #MODEL}
 * (+ {@value #MODEL}{@code .data}) from {@link PolicyExport}, {@value #WEIGHTS} under Hugging Face
 * names, {@value #TOKENIZER} as the caller gives it, and {@value #METADATA} with the caller's
 * lineage (judgments, base model, reward model, hyperparameters, metrics) plus the model's shape.
 * A version is written to a temporary folder beside it and renamed into place, so readers never
 * see half a model; versions are immutable.
 */
public record ModelFolder(Path dir) {
    public static final String MODEL = PolicyExport.FILE;
    public static final String WEIGHTS = "model.safetensors";
    public static final String TOKENIZER = "tokenizer.json";
    public static final String METADATA = "metadata.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param hfWeights the merged weights under Hugging Face names (what {@code transformers} loads)
     * @param lineage   free-form JSON-able values recorded under {@code "lineage"}
     */
    public static ModelFolder write(Path root, String kind, String version, CausalLm policy,
                                    Map<String, TensorData> hfWeights, byte[] tokenizerJson,
                                    Map<String, ?> lineage) throws IOException {
        if (!kind.matches("[a-z0-9][a-z0-9-]*") || !version.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            throw new IllegalArgumentException("kind '" + kind + "' and version '" + version
                    + "' must be plain folder names (letters, digits, '-', '.', '_')");
        }
        Path target = root.resolve(kind).resolve(version);
        if (Files.exists(target)) throw new FileAlreadyExistsException(target + " (model versions are immutable)");
        Files.createDirectories(target.getParent());
        Path tmp = Files.createTempDirectory(target.getParent(), "." + version + ".tmp");
        try {
            PolicyExport.write(policy, tmp, Map.of("rlhf.kind", kind, "rlhf.version", version));
            Safetensors.write(tmp.resolve(WEIGHTS), hfWeights, Map.of("format", "pt"));
            Files.write(tmp.resolve(TOKENIZER), tokenizerJson);
            JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.resolve(METADATA).toFile(),
                    metadata(kind, version, policy.shape(), lineage));
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            deleteTree(tmp);
            throw e;
        }
        return new ModelFolder(target);
    }

    private static ObjectNode metadata(String kind, String version, CausalLm.LmShape s, Map<String, ?> lineage) {
        ObjectNode m = JSON.createObjectNode();
        m.put("kind", kind);
        m.put("version", version);
        m.put("createdAt", Instant.now().toString());
        ObjectNode files = m.putObject("files");
        files.put("onnx", MODEL);
        files.put("onnxData", MODEL + ".data");
        files.put("weights", WEIGHTS);
        files.put("tokenizer", TOKENIZER);
        m.set("shape", JSON.valueToTree(s));
        m.set("lineage", JSON.valueToTree(lineage));
        return m;
    }

    public Path model() {
        return dir.resolve(MODEL);
    }

    public Path weights() {
        return dir.resolve(WEIGHTS);
    }

    public Path tokenizer() {
        return dir.resolve(TOKENIZER);
    }

    public Path metadata() {
        return dir.resolve(METADATA);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
