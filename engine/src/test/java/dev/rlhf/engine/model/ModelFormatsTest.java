package dev.rlhf.engine.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rlhf.engine.graph.DType;
import dev.rlhf.engine.graph.TensorData;
import dev.rlhf.engine.runtime.Engine;
import dev.rlhf.engine.runtime.RuntimeOptions;
import dev.rlhf.engine.weights.SafetensorsFile;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Checkpoints in the weights API's formats load into the builders. One random Llama stored three ways by the weights golden script (a GGUF file with llama.cpp's
 * permuted q/k rows, a sharded float16 folder, a bfloat16 folder; values exact in all three) loads
 * into the same builder and computes the same logits.
 */
class ModelFormatsTest {
    private static final Path WEIGHTS = Path.of("src/test/resources/weights");

    private static double[] logits(Path source) throws Exception {
        return logits(DecoderLm.load(source, DType.FLOAT));
    }

    private static double[] logits(DecoderLm lm) {
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

    /**
     * A GPT-2 GGUF (llama.cpp's layout: Conv1D weights transposed) in the GPT-2 builder computes what
     * transformers' state dict of the same file computes (tiny-gpt2-expected.*, from the weights script).
     */
    @Test
    void gpt2GgufGivesTheLogitsOfTransformersStateDict() throws Exception {
        SafetensorsFile file = SafetensorsFile.open(WEIGHTS.resolve("tiny-gpt2-expected.safetensors"));
        Map<String, TensorData> state = new LinkedHashMap<>();
        for (String name : file.entries().keySet()) state.put(name, file.tensor(name));
        JsonNode config = new ObjectMapper().readTree(WEIGHTS.resolve("tiny-gpt2-expected.json").toFile()).get("config");
        ModelWeights.Checkpoint expected = ModelWeights.of(config, state, DType.FLOAT);
        double[] reference = logits(DecoderLm.of(expected.config(), ModelWeights.parameters(expected.tensors())));
        double[] gguf = logits(WEIGHTS.resolve("tiny-gpt2.gguf"));
        assertTrue(Golden.relativeError(gguf, reference) <= 1e-6, "gguf vs state dict " + Golden.relativeError(gguf, reference));
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
