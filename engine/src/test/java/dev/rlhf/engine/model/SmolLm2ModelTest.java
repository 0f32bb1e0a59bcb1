package dev.rlhf.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rlhf.engine.graph.DType;
import dev.rlhf.engine.runtime.Engine;
import dev.rlhf.engine.runtime.RuntimeOptions;
import dev.rlhf.engine.tokenizer.Tokenizer;
import dev.rlhf.engine.weights.ModelFiles;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The real SmolLM2-135M-Instruct (GGUF Q4_1, dequantised) in the Llama builder against transformers
 * on the same file (golden/models/smollm2.json, made by make_smollm2_model_golden.py): last-position
 * logits of the chat prompt "What is the capital of France?", and greedy tokens, which say Paris.
 * Opt-in: set RLHF_SMOLLM2_GGUF ({@code engine/src/test/python/fetch_smollm2.sh} prints the path).
 */
@EnabledIfEnvironmentVariable(named = "RLHF_SMOLLM2_GGUF", matches = ".+")
class SmolLm2ModelTest {
    @Test
    void chatPromptLogitsAndGreedyAnswerMatchTransformers() throws Exception {
        JsonNode golden = new ObjectMapper().readTree(Golden.ROOT.resolve("smollm2.json").toFile());
        Path gguf = Path.of(System.getenv("RLHF_SMOLLM2_GGUF"));
        DecoderLm lm = DecoderLm.load(gguf, DType.FLOAT);
        long[] prompt = new long[golden.get("prompt_ids").size()];
        for (int i = 0; i < prompt.length; i++) prompt[i] = golden.get("prompt_ids").get(i).asLong();
        long[][] ids = {prompt}, mask = {new long[prompt.length]}, positions = {new long[prompt.length]};
        Arrays.fill(mask[0], 1);
        for (int i = 0; i < prompt.length; i++) positions[0][i] = i;
        long[] expectedGreedy = new long[golden.get("greedy").size()];
        for (int i = 0; i < expectedGreedy.length; i++) expectedGreedy[i] = golden.get("greedy").get(i).asLong();

        try (LmRunner run = new LmRunner(new Engine(RuntimeOptions.defaults().withThreads(2)), lm)) {
            double[] logits = run.prefill(LmRunner.longs(ids), LmRunner.longs(positions), LmRunner.longs(mask))
                    .get("logits").toDoubles();
            int v = lm.shape().vocabSize(), last = (prompt.length - 1) * v;
            JsonNode index = golden.get("last_logits").get("index");
            double[] actual = new double[index.size()];
            for (int i = 0; i < actual.length; i++) actual[i] = logits[last + index.get(i).asInt()];
            double err = Golden.relativeError(actual, Golden.doubles(golden.get("last_logits").get("values")));
            assertTrue(err <= 1e-4, "last-position logits relative error " + err);

            long[] greedy = run.greedy(ids, mask, expectedGreedy.length)[0];
            assertArrayEquals(expectedGreedy, greedy);
            try (Tokenizer tok = ModelFiles.open(gguf).tokenizer()) {
                String text = tok.decode(Arrays.stream(greedy).mapToInt(x -> (int) x).toArray(), true);
                assertTrue(text.contains("Paris"), text);
            }
        }
    }
}
