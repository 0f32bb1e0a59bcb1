package dev.rlhf.engine.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rlhf.engine.graph.DType;
import dev.rlhf.engine.graph.TensorData;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {
    @Test
    void roundTripsTensorsOfEachTypeWithMetadata(@TempDir Path dir) throws Exception {
        Map<String, TensorData> tensors = new LinkedHashMap<>();
        tensors.put("a", TensorData.ofFloats(new long[] {2, 3}, 1, 2, 3, 4, 5, 6.5f));
        tensors.put("b", TensorData.ofDoubles(new long[] {1}, Math.PI));
        tensors.put("c", TensorData.ofLongs(new long[] {0}));
        tensors.put("d", TensorData.ofLongs(new long[] {2}, -1, Long.MAX_VALUE));
        Path f = dir.resolve("x.safetensors");
        Safetensors.write(f, tensors, Map.of("step", "3"));
        Safetensors.Contents back = Safetensors.read(f);
        assertEquals("3", back.metadata().get("step"));
        assertEquals(tensors.keySet(), back.tensors().keySet());
        assertArrayEquals(new long[] {2, 3}, back.tensors().get("a").dims());
        assertArrayEquals(tensors.get("a").toFloats(), back.tensors().get("a").toFloats());
        assertEquals(Math.PI, back.tensors().get("b").scalarValue());
        assertArrayEquals(new long[] {-1, Long.MAX_VALUE}, back.tensors().get("d").toLongs());
        assertEquals(DType.INT64, back.tensors().get("c").dtype());
    }

    @Test
    void layoutIsTheHuggingFaceOne(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("y.safetensors");
        Safetensors.write(f, Map.of("w", TensorData.ofFloats(new long[] {2}, 1.5f, -2f)), Map.of());
        byte[] bytes = Files.readAllBytes(f);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long headerLength = b.getLong();
        assertEquals(0, headerLength % 8);
        String header = new String(bytes, 8, (int) headerLength).trim();
        assertEquals("{\"__metadata__\":{},\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", header);
        assertEquals(1.5f, b.getFloat(8 + (int) headerLength));
    }
}
