package dev.rlhf.engine.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rlhf.engine.graph.TensorData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A resumable training state: trainable parameters and optimizer state in {@value #TENSORS},
 * and step, RNG state and the config that built the model in the JSON sidecar {@value #SIDECAR}.
 * Frozen weights belong to the base model the config names and are not repeated here.
 * A checkpoint is written to a temporary folder and renamed into place, so readers never see half of one.
 */
public record Checkpoint(long step, long rngState, JsonNode config, Map<String, TensorData> tensors) {
    public static final String TENSORS = "state.safetensors";
    public static final String SIDECAR = "checkpoint.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    public void save(Path dir) throws IOException {
        Path parent = dir.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempDirectory(parent, dir.getFileName() + ".tmp");
        Safetensors.write(tmp.resolve(TENSORS), tensors, Map.of("format", "pt", "step", Long.toString(step)));
        ObjectNode side = JSON.createObjectNode();
        side.put("step", step);
        side.put("rngState", rngState);
        side.set("config", config);
        side.putArray("tensors").addAll(tensors.keySet().stream().map(side::textNode).toList());
        JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.resolve(SIDECAR).toFile(), side);
        if (Files.exists(dir)) deleteTree(dir);
        Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
    }

    public static Checkpoint load(Path dir) throws IOException {
        JsonNode side = JSON.readTree(dir.resolve(SIDECAR).toFile());
        Map<String, TensorData> tensors = Safetensors.read(dir.resolve(TENSORS)).tensors();
        for (JsonNode name : side.get("tensors")) {
            if (!tensors.containsKey(name.asText())) {
                throw new IOException("checkpoint " + dir + " lists tensor '" + name.asText() + "' that its safetensors file lacks");
            }
        }
        return new Checkpoint(side.get("step").asLong(), side.get("rngState").asLong(), side.get("config"), tensors);
    }

    /** A record (e.g. the model config) as the JSON stored in the sidecar. */
    public static JsonNode configOf(Object record) {
        return JSON.valueToTree(record);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
