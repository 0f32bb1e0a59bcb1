package dev.rlhf.engine.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlhf.engine.checkpoint.Safetensors;
import dev.rlhf.engine.graph.TensorData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GgufFileTest {
    @Test
    void readsHeaderAlignmentAndEveryMetadataValueType() throws IOException {
        GgufFile g = GgufFile.open(Golden.file("quants.gguf"));
        assertEquals(3, g.version());
        assertEquals(64, g.alignment());
        Map<String, Object> m = g.metadata();
        assertEquals(200L, m.get("test.u8"));
        assertEquals(-100L, m.get("test.i8"));
        assertEquals(60000L, m.get("test.u16"));
        assertEquals(-30000L, m.get("test.i16"));
        assertEquals(4_000_000_000L, m.get("test.u32"));
        assertEquals(-2_000_000_000L, m.get("test.i32"));
        assertEquals(0.1f, m.get("test.f32"));
        assertEquals(1L << 40, m.get("test.u64"));
        assertEquals(-(1L << 40), m.get("test.i64"));
        assertEquals(0.1, m.get("test.f64"));
        assertEquals(true, m.get("test.bool"));
        assertEquals("héllo", m.get("test.string"));
        assertEquals(List.of(1L, -2L, 3L), m.get("test.ints"));
        assertEquals(List.of("a", "bc", ""), m.get("test.strings"));
        assertEquals(List.of(0.5f, 1.5f), m.get("test.floats"));
        assertEquals("quants-test", g.string("general.architecture").orElseThrow());
    }

    /** Each ggml type dequantised bit for bit as gguf.quants.dequantize does (same arithmetic, same order). */
    @Test
    void dequantisesEverySupportedTypeLikeTheGgufPackage() throws IOException {
        GgufFile g = GgufFile.open(Golden.file("quants.gguf"));
        Map<String, TensorData> expected = Safetensors.read(Golden.file("quants-expected.safetensors")).tensors();
        assertEquals(13, expected.size());
        for (var e : expected.entrySet()) {
            TensorData actual = g.dequantize(e.getKey());
            assertArrayEquals(e.getValue().dims(), actual.dims(), e.getKey());
            float[] want = e.getValue().toFloats(), got = actual.toFloats();
            assertArrayEquals(want, got, e.getKey());
            assertTrue(Arrays.stream(toDoubles(got)).anyMatch(x -> x != 0), e.getKey() + " is not all zeros");
        }
        assertEquals(GgmlType.Q6_K, g.tensorInfo("q6_k").type());
        assertArrayEquals(new long[] {512, 2}, g.tensorInfo("q6_k").ggmlDims());
    }

    @Test
    void unsupportedQuantisationFailsNamingTensorAndType() throws IOException {
        GgufFile g = GgufFile.open(Golden.file("quants.gguf"));
        WeightFileException e = assertThrows(WeightFileException.class, () -> g.dequantize("q2_k"));
        assertTrue(e.getMessage().contains("tensor q2_k") && e.getMessage().contains("Q2_K"), e.getMessage());
    }

    @Test
    void refusesFilesThatAreNotGgufOrAreCut(@TempDir Path dir) throws IOException {
        Path notGguf = dir.resolve("x.gguf");
        Files.write(notGguf, new byte[64]);
        assertTrue(assertThrows(WeightFileException.class, () -> GgufFile.open(notGguf)).getMessage().contains("not a GGUF"));
        byte[] whole = Files.readAllBytes(Golden.file("quants.gguf"));
        Path cut = dir.resolve("cut.gguf");
        Files.write(cut, Arrays.copyOf(whole, 300));
        assertThrows(WeightFileException.class, () -> GgufFile.open(cut));
        Path noData = dir.resolve("nodata.gguf");
        Files.write(noData, Arrays.copyOf(whole, whole.length - 100));
        WeightFileException e = assertThrows(WeightFileException.class, () -> GgufFile.open(noData));
        assertTrue(e.getMessage().contains("beyond the end of the file"), e.getMessage());
    }

    private static double[] toDoubles(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) d[i] = f[i];
        return d;
    }
}
