package dev.rlhf.engine.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rlhf.engine.graph.DType;
import dev.rlhf.engine.model.DecoderLm;
import dev.rlhf.engine.runtime.Engine;
import dev.rlhf.engine.runtime.RuntimeOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The in-graph greedy loop on the tiny GPT-2 and Llama checkpoints gives exactly the tokens
 * transformers' {@code generate(do_sample=False)} gave for the same left-padded batch
 * ({@code src/test/python/make_model_golden.py} wrote them), in a batch and one prompt at a time.
 */
class GoldenGreedyTest {
    private static final Engine ENGINE = new Engine(RuntimeOptions.defaults().withThreads(1));

    private static DecoderLm load(String name) throws Exception {
        DecoderLm model = DecoderLm.load(Path.of("src/test/resources/golden/models", name), DType.FLOAT);
        model.parameters().freeze(n -> true);
        return model;
    }

    private static JsonNode expected(String name) throws Exception {
        return new ObjectMapper().readTree(Path.of("src/test/resources/golden/models", name, "expected.json").toFile());
    }

    /** The prompts without their padding. */
    private static List<List<Integer>> prompts(JsonNode e) {
        List<List<Integer>> out = new ArrayList<>();
        for (int r = 0; r < e.get("input_ids").size(); r++) {
            List<Integer> row = new ArrayList<>();
            for (int j = 0; j < e.get("input_ids").get(r).size(); j++) {
                if (e.get("attention_mask").get(r).get(j).asInt() == 1) row.add(e.get("input_ids").get(r).get(j).asInt());
            }
            out.add(row);
        }
        return out;
    }

    private static List<List<Integer>> rows(JsonNode n) {
        List<List<Integer>> out = new ArrayList<>();
        n.forEach(r -> {
            List<Integer> row = new ArrayList<>();
            r.forEach(t -> row.add(t.asInt()));
            out.add(row);
        });
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"gpt2", "llama"})
    void greedyTokensEqualTransformers(String name) throws Exception {
        DecoderLm model = load(name);
        JsonNode e = expected(name);
        List<List<Integer>> prompts = prompts(e), greedy = rows(e.get("greedy"));
        GenerationSettings s = GenerationSettings.greedy(greedy.get(0).size(), model.shape().eosTokenIds());
        try (Generator g = new Generator(ENGINE, model)) {
            assertEquals(greedy, g.generate(prompts, s).stream().map(GeneratedSequence::tokens).toList(), "batch");
            for (int r = 0; r < prompts.size(); r++) {
                assertEquals(greedy.get(r), g.generate(List.of(prompts.get(r)), s).get(0).tokens(), "prompt " + r + " alone");
            }
            assertEquals(greedy.subList(0, 2), g.generate(prompts.subList(0, 2), s).stream()
                    .map(GeneratedSequence::tokens).toList(), "two prompts, one left-padded");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama"})
    void aSeedFixesTheSampledTokens(String name) throws Exception {
        DecoderLm model = load(name);
        List<List<Integer>> prompts = prompts(expected(name));
        GenerationSettings s = GenerationSettings.sampling(12, 1.0, 0.95, 1234, List.of());
        try (Generator g = new Generator(ENGINE, model)) {
            var a = g.generate(prompts, s).stream().map(GeneratedSequence::tokens).toList();
            var b = g.generate(prompts, s).stream().map(GeneratedSequence::tokens).toList();
            var c = g.generate(prompts, s.withSeed(1235)).stream().map(GeneratedSequence::tokens).toList();
            assertEquals(a, b);
            assertNotEquals(a, c);
        }
    }
}
