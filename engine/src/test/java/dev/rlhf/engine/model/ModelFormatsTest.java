package dev.rlhf.engine.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlhf.engine.graph.DType;
import dev.rlhf.engine.graph.TensorData;
import dev.rlhf.engine.runtime.Engine;
import dev.rlhf.engine.runtime.RuntimeOptions;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * One random Llama stored three ways by the weights golden script (a GGUF file with llama.cpp's
 * permuted q/k rows, a sharded float16 folder, a bfloat16 folder; values exact in all three) loads
 * into the same builder and computes the same logits.
 */
class ModelFormatsTest {
    private static final Path WEIGHTS = Path.of("src/test/resources/weights");

    private static double[] logits(Path source) throws Exception {
        DecoderLm lm = DecoderLm.load(source, DType.FLOAT);
        long[][] ids = {{0, 0, 5, 9, 3, 7}, {4, 8, 15, 16, 23, 42}};
        long[][] mask = {{0, 0, 1, 1, 1, 1}, {1, 1, 1, 1, 1, 1}};
        long[][] pos = {{1, 1, 0, 1, 2, 3}, {0, 1, 2, 3, 4, 5}};
        try (LmRunner run = new LmRunner(new Engine(RuntimeOptions.defaults().withThreads(2)), lm)) {
            TensorData out = run.prefill(LmRunner.longs(ids), LmRunner.longs(pos), LmRunner.longs(mask)).get("logits");
            double[] all = out.toDoubles();
            int v = lm.shape().vocabSize();
            return java.util.Arrays.copyOfRange(all, 2 * v, all.length);   // drop the two padding positions of row 0
        }
    }

    @Test
    void ggufAndHalfPrecisionFoldersGiveTheSameLogits() throws Exception {
        double[] gguf = logits(WEIGHTS.resolve("tiny-llama.gguf"));
        double[] f16 = logits(WEIGHTS.resolve("tiny-llama-f16"));
        double[] bf16 = logits(WEIGHTS.resolve("tiny-llama-bf16"));
        double spread = 0;
        for (double x : f16) spread = Math.max(spread, Math.abs(x));
        assertTrue(spread > 0.1, "logits carry signal: " + spread);
        assertTrue(Golden.relativeError(gguf, f16) <= 1e-6, "gguf vs f16 folder " + Golden.relativeError(gguf, f16));
        assertTrue(Golden.relativeError(bf16, f16) <= 1e-6, "bf16 vs f16 folder " + Golden.relativeError(bf16, f16));
    }
}
