package dev.rlhf.engine.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rlhf.engine.graph.DType;
import dev.rlhf.engine.graph.TensorData;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;

/** The golden files made by {@code src/test/python/make_gguf_golden.py}. */
public final class Golden {
    private Golden() {
    }

    public static Path file(String name) {
        try {
            return Path.of(Golden.class.getResource("/weights/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("golden file weights/" + name + " is missing; run make_gguf_golden.py", e);
        }
    }

    public static JsonNode json(String name) throws IOException {
        return new ObjectMapper().readTree(file(name).toFile());
    }

    /** An expected state dict (bfloat16 on disk, exact for these weights) as float32 tensors. */
    public static Map<String, TensorData> expectedTensors(String name) throws IOException {
        SafetensorsFile f = SafetensorsFile.open(file(name));
        Map<String, TensorData> out = new java.util.LinkedHashMap<>();
        for (String t : f.entries().keySet()) out.put(t, f.tensor(t));
        return out;
    }

    /** Asserts both maps hold the same names, shapes and float32 values (bit for bit). */
    public static void assertSameTensors(Map<String, TensorData> expected, Map<String, TensorData> actual) {
        assertEquals(expected.keySet(), actual.keySet(), "tensor names");
        for (String name : expected.keySet()) {
            TensorData e = expected.get(name), a = actual.get(name);
            assertEquals(DType.FLOAT, a.dtype(), name);
            assertArrayEquals(e.dims(), a.dims(), name + " shape");
            assertArrayEquals(e.toFloats(), a.toFloats(), name);
        }
    }
}
