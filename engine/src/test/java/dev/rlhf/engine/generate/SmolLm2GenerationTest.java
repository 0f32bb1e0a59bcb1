package dev.rlhf.engine.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rlhf.engine.graph.DType;
import dev.rlhf.engine.model.DecoderLm;
import dev.rlhf.engine.runtime.Engine;
import dev.rlhf.engine.runtime.RuntimeOptions;
import dev.rlhf.engine.tokenizer.Tokenizer;
import dev.rlhf.engine.weights.ModelFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The real SmolLM2-135M-Instruct through the in-graph decode loop: the chat prompt "What is the
 * capital of France?" gives transformers' greedy tokens (golden/models/smollm2.json), which say Paris.
 * Opt-in: set RLHF_SMOLLM2_GGUF to the GGUF file.
 */
@EnabledIfEnvironmentVariable(named = "RLHF_SMOLLM2_GGUF", matches = ".+")
class SmolLm2GenerationTest {
    @Test
    void greedyAnswerIsTransformersAndSaysParis() throws Exception {
        JsonNode golden = new ObjectMapper().readTree(Path.of("src/test/resources/golden/models/smollm2.json").toFile());
        Path gguf = Path.of(System.getenv("RLHF_SMOLLM2_GGUF"));
        DecoderLm lm = DecoderLm.load(gguf, DType.FLOAT);
        lm.parameters().freeze(n -> true);
        List<Integer> prompt = new ArrayList<>(), expected = new ArrayList<>();
        golden.get("prompt_ids").forEach(t -> prompt.add(t.asInt()));
        golden.get("greedy").forEach(t -> expected.add(t.asInt()));
        try (Generator g = new Generator(new Engine(RuntimeOptions.defaults().withThreads(2)), lm)) {
            // no stop tokens: transformers' golden run made exactly this many tokens
            GeneratedSequence out = g.generate(List.of(prompt), GenerationSettings.greedy(expected.size(), List.of())).get(0);
            assertEquals(expected, out.tokens());
            try (Tokenizer tok = ModelFiles.open(gguf).tokenizer()) {
                String text = tok.decode(out.tokens().stream().mapToInt(Integer::intValue).toArray(), true);
                assertTrue(text.contains("Paris"), text);
            }
        }
    }
}
