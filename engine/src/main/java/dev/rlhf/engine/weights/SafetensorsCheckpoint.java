package dev.rlhf.engine.weights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rlhf.engine.graph.TensorData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The weights of a Hugging Face folder: {@code model.safetensors}, or the shards listed by
 * {@code model.safetensors.index.json} ({@code weight_map}: tensor name → shard file).
 */
public final class SafetensorsCheckpoint implements TensorSource {
    public static final String SINGLE = "model.safetensors";
    public static final String INDEX = "model.safetensors.index.json";

    private final Map<String, SafetensorsFile> fileOf;
    private final Map<String, long[]> shapes;

    private SafetensorsCheckpoint(Map<String, SafetensorsFile> fileOf, Map<String, long[]> shapes) {
        this.fileOf = fileOf;
        this.shapes = shapes;
    }

    /** The checkpoint in {@code dir}: the index when present, else the single file. */
    public static SafetensorsCheckpoint open(Path dir) throws IOException {
        if (Files.exists(dir.resolve(INDEX))) return openIndex(dir.resolve(INDEX));
        if (Files.exists(dir.resolve(SINGLE))) return openFile(dir.resolve(SINGLE));
        throw new WeightFileException(dir + " has neither " + SINGLE + " nor " + INDEX
                + " (PyTorch .bin checkpoints are not read: convert them to safetensors)");
    }

    public static SafetensorsCheckpoint openFile(Path file) throws IOException {
        SafetensorsFile f = SafetensorsFile.open(file);
        Map<String, SafetensorsFile> fileOf = new LinkedHashMap<>();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        f.entries().forEach((name, e) -> {
            fileOf.put(name, f);
            shapes.put(name, e.shape());
        });
        return new SafetensorsCheckpoint(fileOf, shapes);
    }

    public static SafetensorsCheckpoint openIndex(Path index) throws IOException {
        JsonNode map = new ObjectMapper().readTree(index.toFile()).get("weight_map");
        if (map == null || !map.isObject()) throw new WeightFileException(index + " has no weight_map object");
        Map<String, SafetensorsFile> shards = new HashMap<>();
        Map<String, SafetensorsFile> fileOf = new LinkedHashMap<>();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        for (var it = map.fields(); it.hasNext(); ) {
            var e = it.next();
            String shardName = e.getValue().asText();
            Path shardPath = index.resolveSibling(shardName);
            SafetensorsFile shard = shards.get(shardName);
            if (shard == null) {
                if (!Files.exists(shardPath)) {
                    throw new WeightFileException(index + ": tensor " + e.getKey() + " is in shard " + shardName + ", which is missing");
                }
                shard = SafetensorsFile.open(shardPath);
                shards.put(shardName, shard);
            }
            SafetensorsFile.Entry entry = shard.entries().get(e.getKey());
            if (entry == null) {
                throw new WeightFileException(index + ": tensor " + e.getKey() + " is mapped to " + shardName + ", which lacks it");
            }
            fileOf.put(e.getKey(), shard);
            shapes.put(e.getKey(), entry.shape());
        }
        return new SafetensorsCheckpoint(fileOf, shapes);
    }

    @Override
    public Map<String, long[]> shapes() {
        return Collections.unmodifiableMap(shapes);
    }

    @Override
    public TensorData load(String name) throws IOException {
        SafetensorsFile f = fileOf.get(name);
        if (f == null) throw new WeightFileException("the checkpoint has no tensor " + name);
        return f.tensor(name);
    }
}
