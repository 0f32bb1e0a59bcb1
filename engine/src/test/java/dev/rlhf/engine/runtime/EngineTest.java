package dev.rlhf.engine.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import dev.rlhf.engine.graph.DType;
import dev.rlhf.engine.graph.GraphBuilder;
import dev.rlhf.engine.graph.ModelWriter;
import dev.rlhf.engine.graph.Ops;
import dev.rlhf.engine.graph.Shape;
import dev.rlhf.engine.graph.TensorData;
import dev.rlhf.engine.graph.Value;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngineTest {
    private static final Engine CPU = new Engine(RuntimeOptions.defaults().withThreads(1));

    private static GraphBuilder doubler() {
        GraphBuilder g = new GraphBuilder("doubler");
        Ops o = new Ops(g);
        Value x = g.input("x", DType.FLOAT, Shape.symbolic("batch", 3));
        g.output(o.mul(x, 2.0), "y");
        return g;
    }

    @Test
    void symbolicBatchDimensionAcceptsAnySize() {
        try (CompiledGraph c = CPU.compile(doubler())) {
            assertArrayEquals(new float[] {2, 4, 6}, c.run(Map.of("x", TensorData.ofFloats(new long[] {1, 3}, 1, 2, 3))).get("y").toFloats());
            assertEquals(15, c.run(Map.of("x", TensorData.zeros(DType.FLOAT, 5, 3))).get("y").elementCount());
        }
    }

    @Test
    void largeInitializersGoToAnExternalDataFile(@TempDir Path dir) throws Exception {
        GraphBuilder g = new GraphBuilder("external");
        Ops o = new Ops(g);
        float[] w = new float[256 * 1024];   // 1 MiB
        for (int i = 0; i < w.length; i++) w[i] = i % 5;
        Value x = g.input("x", DType.FLOAT, Shape.of(1, 256));
        g.output(o.matMul(x, g.initializer("w", TensorData.ofFloats(new long[] {256, 1024}, w))), "y");
        Path model = ModelWriter.write(g, Map.of("purpose", "test"), dir, "m.onnx", 64 * 1024);
        assertTrue(Files.size(model) < 10_000, "weights must not be inline: " + Files.size(model));
        assertEquals(4L * w.length, Files.size(dir.resolve("m.onnx.data")));
        float[] ones = new float[256];
        java.util.Arrays.fill(ones, 1f);
        try (CompiledGraph c = CPU.compile(model)) {
            float[] y = c.run(Map.of("x", TensorData.ofFloats(new long[] {1, 256}, ones))).get("y").toFloats();
            double expected = 0;
            for (int r = 0; r < 256; r++) expected += w[r * 1024 + 7];
            assertEquals(expected, y[7], 1e-3);
        }
    }

    @Test
    void wrongInputNamesAreReportedWithTheExpectedOnes() {
        try (CompiledGraph c = CPU.compile(doubler())) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> c.run(Map.of("z", TensorData.zeros(DType.FLOAT, 1, 3))));
            assertTrue(e.getMessage().contains("[x]"), e.getMessage());
        }
    }

    @Test
    void aPinnedOutputThatIsAlsoAnInputIsRefused() throws Exception {
        GraphBuilder g = new GraphBuilder("inplace");
        Value x = g.input("x", DType.FLOAT, Shape.of(3));
        g.output(new Ops(g).add(x, 1.0), "y");
        try (CompiledGraph c = CPU.compile(g);
             OnnxTensor buf = Tensors.allocate(CPU.environment(), DType.FLOAT, new long[] {3})) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> c.runTensors(Map.of("x", buf), Set.of(), Map.of("y", buf)));
            assertTrue(e.getMessage().contains("also an input"), e.getMessage());
        }
    }

    @Test
    void cudaWithoutTheProviderFailsWithAnActionableMessage() {
        assumeFalse(OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA), "this build has CUDA");
        Engine cuda = new Engine(RuntimeOptions.defaults().withDevice(Device.CUDA));
        EngineException e = assertThrows(EngineException.class, () -> cuda.compile(doubler()));
        assertTrue(e.getMessage().contains("onnxruntime_gpu"), e.getMessage());
        assertTrue(e.getMessage().contains("CUDA 12"), e.getMessage());
    }

    @Test
    void float64GraphsRunAtBasicOptimisation() {
        GraphBuilder g = new GraphBuilder("f64");
        Ops o = new Ops(g);
        Value x = g.input("x", DType.DOUBLE, Shape.of(2, 4));
        g.output(o.layerNorm(x, o.constant(TensorData.ofDoubles(new long[] {4}, 1, 1, 1, 1)), null, 1e-5), "y");
        try (CompiledGraph c = new Engine(RuntimeOptions.float64Checks()).compile(g)) {
            double[] y = c.run(Map.of("x", TensorData.ofDoubles(new long[] {2, 4}, 1, 2, 3, 4, 0, 0, 0, 8))).get("y").toDoubles();
            // mean 2.5, variance 1.25: the first entry is -1.5 / sqrt(1.25 + eps), exact to float64 precision
            assertEquals(-1.5 / Math.sqrt(1.25 + (float) 1e-5), y[0], 1e-12);
        }
    }
}
