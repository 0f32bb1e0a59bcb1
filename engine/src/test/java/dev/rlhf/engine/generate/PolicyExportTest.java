package dev.rlhf.engine.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rlhf.engine.checkpoint.Safetensors;
import dev.rlhf.engine.graph.DType;
import dev.rlhf.engine.graph.TensorData;
import dev.rlhf.engine.onnx.Onnx;
import dev.rlhf.engine.runtime.Engine;
import dev.rlhf.engine.runtime.RuntimeOptions;
import dev.rlhf.engine.train.Lora;
import dev.rlhf.engine.train.LoraConfig;
import dev.rlhf.engine.train.Parameters;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A LoRA-tuned policy, merged and exported, generates the same tokens from the file alone, in Java and in Python. */
class PolicyExportTest {
    private static final Engine ENGINE = new Engine(RuntimeOptions.defaults().withThreads(1));
    private static final List<List<Integer>> PROMPTS = List.of(List.of(4, 8, 15, 16), List.of(23 - 1, 3));
    private static final GenerationSettings GREEDY = GenerationSettings.greedy(9, List.of());
    private static final GenerationSettings SAMPLED = GenerationSettings.sampling(9, 1.1, 0.95, 3, List.of());

    /** A model whose q and v projections carry trained (non-zero) adapters, frozen so they are initializers. */
    private static TinyAttentionLm tunedModel() {
        TinyAttentionLm model = new TinyAttentionLm(5);
        Parameters p = model.parameters();
        Random rng = new Random(2);
        Lora.attach(p, new LoraConfig(2, 4, 0, n -> n.endsWith(".q") || n.endsWith(".v")), rng);
        for (String n : p.names()) {
            if (n.endsWith(Lora.B)) p.set(n, Parameters.normal(rng, DType.FLOAT, 0.3, p.get(n).dims()));
        }
        p.freeze(n -> true);
        return model;
    }

    private static List<List<Integer>> tokens(List<GeneratedSequence> out) {
        return out.stream().map(GeneratedSequence::tokens).toList();
    }

    @Test
    void mergedExportGeneratesWhatTheAdaptedModelGeneratesFromTheFileAlone(@TempDir Path dir) throws Exception {
        TinyAttentionLm model = tunedModel();
        List<GeneratedSequence> greedy, sampled;
        try (Generator adapted = new Generator(ENGINE, model)) {
            greedy = adapted.generate(PROMPTS, GREEDY);
            sampled = adapted.generate(PROMPTS, SAMPLED);
        }
        assertTrue(assertThrows(IllegalStateException.class, () -> PolicyExport.write(model, dir, Map.of()))
                .getMessage().contains("not merged"));

        Lora.merge(model.parameters());
        model.parameters().freeze(n -> true);
        Path file = PolicyExport.write(model, dir.resolve("export"), Map.of("base", "tiny"));
        Path data = dir.resolve("export").resolve(PolicyExport.FILE + ".data");
        long weightBytes = model.parameters().asMap().values().stream().mapToLong(TensorData::byteSize).sum();
        assertEquals(weightBytes, Files.size(data), "every weight lives in the data file");
        Onnx.ModelProto proto = Onnx.ModelProto.parseFrom(Files.readAllBytes(file));
        assertTrue(proto.getGraph().getInitializerList().stream()
                .allMatch(t -> t.getDataLocation() == Onnx.TensorProto.DataLocation.EXTERNAL && !t.hasRawData()),
                "the graph file does not repeat them");

        try (Generator fromFile = new Generator(ENGINE.compile(file), model.shape())) {
            assertEquals(tokens(greedy), tokens(fromFile.generate(PROMPTS, GREEDY)));
            List<GeneratedSequence> again = fromFile.generate(PROMPTS, SAMPLED);
            assertEquals(tokens(sampled), tokens(again));
            for (int b = 0; b < PROMPTS.size(); b++) {
                assertArrayEquals(sampled.get(b).modelLogProbs(), again.get(b).modelLogProbs(), 1e-4f);
            }
        }
        assertEquals(tokens(sampled), runInPython(file, model.shape().vocabSize(), SAMPLED));
    }

    /** The Python onnxruntime package runs the file too; skipped when python3 has no onnxruntime. */
    private static List<List<Integer>> runInPython(Path model, int vocab, GenerationSettings s) throws Exception {
        Process probe = new ProcessBuilder("python3", "-c", "import onnxruntime, numpy").redirectErrorStream(true).start();
        Assumptions.assumeTrue(probe.waitFor(60, TimeUnit.SECONDS) && probe.exitValue() == 0,
                "python3 with onnxruntime is not installed");
        ObjectMapper json = new ObjectMapper();
        ObjectNode feeds = json.createObjectNode();
        int longest = PROMPTS.stream().mapToInt(List::size).max().orElseThrow();
        for (Map.Entry<String, TensorData> e : Generator.feeds(PROMPTS, longest, s).entrySet()) {
            feeds.set(e.getKey(), nested(json, e.getValue()));
        }
        Path feedsFile = model.resolveSibling("feeds.json");
        json.writeValue(feedsFile.toFile(), feeds);
        Path script = Path.of("src/test/python/run_exported_policy.py").toAbsolutePath();
        Process run = new ProcessBuilder("python3", script.toString(), model.toString(), feedsFile.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(run.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, run.exitValue(), "python onnxruntime failed: " + out);
        JsonNode result = json.readTree(out);
        List<List<Integer>> rows = new java.util.ArrayList<>();
        for (int b = 0; b < PROMPTS.size(); b++) {
            int n = result.get("lengths").get(b).asInt();
            List<Integer> row = new java.util.ArrayList<>();
            for (int t = 0; t < n; t++) row.add(result.get("tokens").get(b).get(t).asInt());
            rows.add(row);
        }
        return rows;
    }

    private static JsonNode nested(ObjectMapper json, TensorData t) {
        double[] v = t.toDoubles();
        long[] dims = t.dims();
        if (dims.length == 0) {
            return t.dtype() == DType.BOOL ? json.getNodeFactory().booleanNode(v[0] != 0) : json.getNodeFactory().numberNode(v[0]);
        }
        var root = json.createArrayNode();
        int cols = dims.length == 2 ? (int) dims[1] : 1;
        for (int r = 0; r < (dims.length == 2 ? dims[0] : v.length); r++) {
            if (dims.length == 1) { root.add(v[r]); continue; }
            var row = root.addArray();
            for (int c = 0; c < cols; c++) row.add(v[r * cols + c]);
        }
        return root;
    }

    @Test
    void modelFolderAppearsWholeWithWeightsTokenizerAndLineage(@TempDir Path root) throws Exception {
        TinyAttentionLm model = new TinyAttentionLm(3);
        Map<String, TensorData> hf = Map.of("model.embed_tokens.weight", model.parameters().get("wte"));
        byte[] tokenizer = "{\"version\":\"1.0\"}".getBytes(StandardCharsets.UTF_8);
        Map<String, Object> lineage = Map.of("baseModel", "tiny", "judgments", Map.of("topic", "rlhf.judgments", "toOffset", 99));
        ModelFolder folder = ModelFolder.write(root, "policy", "v1", model, hf, tokenizer, lineage);
        assertEquals(root.resolve("policy").resolve("v1"), folder.dir());
        assertArrayEquals(tokenizer, Files.readAllBytes(folder.tokenizer()));
        assertEquals(List.of("model.embed_tokens.weight"), List.copyOf(Safetensors.read(folder.weights()).tensors().keySet()));
        JsonNode meta = new ObjectMapper().readTree(folder.metadata().toFile());
        assertEquals(99, meta.get("lineage").get("judgments").get("toOffset").asInt());
        assertEquals(TinyAttentionLm.VOCAB, meta.get("shape").get("vocabSize").asInt());
        try (Generator g = new Generator(ENGINE.compile(folder.model()), model.shape())) {
            assertEquals(4, g.generate(PROMPTS, GenerationSettings.greedy(4, List.of())).get(0).length());
        }
        try (var listing = Files.list(root.resolve("policy"))) {
            assertEquals(List.of("v1"), listing.map(p -> p.getFileName().toString()).toList(), "no temporary folder left");
        }
        assertThrows(FileAlreadyExistsException.class,
                () -> ModelFolder.write(root, "policy", "v1", model, hf, tokenizer, lineage));
        assertFalse(Files.exists(root.resolve("policy").resolve("v2")));
    }
}
