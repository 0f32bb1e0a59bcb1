package dev.rlhf.engine.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rlhf.engine.graph.TensorData;
import java.io.IOException;
import java.nio.file.Path;

/** One checkpoint made by {@code src/test/python/make_model_golden.py} and what transformers computed from it. */
record Golden(Path dir, JsonNode expected) {
    static final Path ROOT = Path.of("src/test/resources/golden/models");

    static Golden of(String name) throws IOException {
        Path dir = ROOT.resolve(name);
        return new Golden(dir, new ObjectMapper().readTree(dir.resolve("expected.json").toFile()));
    }

    long[][] rows(String field) {
        return rows(expected.get(field));
    }

    static long[][] rows(JsonNode n) {
        long[][] out = new long[n.size()][];
        for (int r = 0; r < out.length; r++) {
            out[r] = new long[n.get(r).size()];
            for (int j = 0; j < out[r].length; j++) out[r][j] = n.get(r).get(j).asLong();
        }
        return out;
    }

    static double[] doubles(JsonNode n) {
        double[] out = new double[n.size()];
        for (int i = 0; i < out.length; i++) out[i] = n.get(i).asDouble();
        return out;
    }

    TensorData tensor(String field) {
        return LmRunner.longs(rows(field));
    }

    /** The largest difference relative to the largest expected magnitude (the scale of the values). */
    static double relativeError(double[] actual, double[] expected) {
        double diff = 0, scale = 1e-12;
        for (int i = 0; i < expected.length; i++) {
            diff = Math.max(diff, Math.abs(actual[i] - expected[i]));
            scale = Math.max(scale, Math.abs(expected[i]));
        }
        return diff / scale;
    }
}
