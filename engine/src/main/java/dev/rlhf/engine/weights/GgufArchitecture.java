package dev.rlhf.engine.weights;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rlhf.engine.graph.TensorData;
import java.io.IOException;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What every GGUF architecture view shares: llama.cpp's tensors under Hugging Face names with their
 * shapes, a rebuilt {@code config.json}, metadata lookups, and the shape check against what the config
 * implies. Subclasses name the tensors and undo llama.cpp's layout changes ({@link #toHuggingFace}).
 */
abstract class GgufArchitecture implements TensorSource {
    protected final GgufFile file;
    protected final Map<String, String> ggufName = new LinkedHashMap<>();   // HF name → GGUF name
    protected final Map<String, long[]> shapes = new LinkedHashMap<>();
    protected ObjectNode config;

    protected GgufArchitecture(GgufFile file) {
        this.file = file;
    }

    /** A tensor as read from the file (dequantised), turned into its Hugging Face layout. */
    protected abstract TensorData toHuggingFace(String hfName, TensorData fromFile);

    ObjectNode config() {
        return config.deepCopy();
    }

    @Override
    public Map<String, long[]> shapes() {
        return Collections.unmodifiableMap(shapes);
    }

    @Override
    public TensorData load(String hfName) throws IOException {
        String gguf = ggufName.get(hfName);
        if (gguf == null) throw new WeightFileException(file.path() + " has no tensor mapped to " + hfName);
        return toHuggingFace(hfName, file.dequantize(gguf));
    }

    protected long required(String key) throws WeightFileException {
        return file.integer(key).orElseThrow(() -> new WeightFileException(file.path() + ": metadata " + key + " is missing"));
    }

    /** The llama.cpp name a missing Hugging Face tensor would have had, for the error message; null if unknown. */
    protected String ggufNameFor(String hfName) {
        return null;
    }

    /** Every expected tensor is present with its shape; failures name the tensor in both namings. */
    protected void checkPresent(Map<String, long[]> expected) throws WeightFileException {
        for (var e : expected.entrySet()) {
            long[] actual = shapes.get(e.getKey());
            if (actual == null) {
                String hint = ggufNameFor(e.getKey());
                throw new WeightFileException(file.path() + ": tensor " + e.getKey() + (hint == null ? "" : " (" + hint + ")")
                        + " is missing");
            }
            if (!Arrays.equals(actual, e.getValue())) {
                throw new WeightFileException(file.path() + ": tensor " + ggufName.get(e.getKey()) + " (" + e.getKey()
                        + ") has shape " + Arrays.toString(actual) + ", expected " + Arrays.toString(e.getValue()));
            }
        }
    }
}
