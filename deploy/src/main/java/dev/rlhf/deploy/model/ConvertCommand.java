package dev.rlhf.deploy.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rlhf.engine.generate.PolicyExport;
import dev.rlhf.engine.weights.HfFolder;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code ./rlhf convert}: a Hugging Face folder or GGUF file into the engine's model folder, which is
 * also a Hugging Face folder: config.json, model.safetensors (float32, Hugging Face names),
 * tokenizer.json and tokenizer_config.json (chat template), plus model.onnx (the generation graph,
 * weights as external data, loadable by ONNX Runtime in any language) and metadata.json.
 */
@Command(name = "convert", mixinStandardHelpOptions = true,
        description = "Convert a Hugging Face folder or a GGUF file into the engine's model folder.")
public final class ConvertCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", description = "a Hugging Face model folder or a .gguf file")
    Path input;

    @Parameters(index = "1", description = "the folder to create (must not exist)")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (Files.exists(out)) throw new IllegalArgumentException(out + " already exists; converting never overwrites a model");
        LoadedModel m = LoadedModel.load(input);
        Path parent = out.toAbsolutePath().getParent();
        Path staging = parent.resolve("." + out.getFileName() + ".converting");
        deleteTree(staging);
        try (ProgressBar bar = new ProgressBarBuilder().setTaskName("writing " + out.getFileName()).setInitialMax(3)
                .setStyle(ProgressBarStyle.ASCII).setUnit(" steps", 1).continuousUpdate()
                .setConsumer(new ConsoleProgressBarConsumer(System.err)).build()) {
            HfFolder.write(staging, m.configJson(), m.lm().parameters().asMap(), m.tokenizer().json(),
                    m.tokenizer().specialTokens(), m.chat().map(c -> c.source()).orElse(null));
            bar.step();
            PolicyExport.write(m.lm(), staging, Map.of("rlhf.kind", "policy", "rlhf.source", input.getFileName().toString()));
            bar.step();
            JSON.writerWithDefaultPrettyPrinter().writeValue(staging.resolve("metadata.json").toFile(), metadata(m));
            Files.move(staging, out, StandardCopyOption.ATOMIC_MOVE);
            bar.step();
        } catch (IOException | RuntimeException e) {
            deleteTree(staging);
            throw e;
        }
        spec.commandLine().getOut().println(out.toAbsolutePath());
        return 0;
    }

    private ObjectNode metadata(LoadedModel m) {
        ObjectNode meta = JSON.createObjectNode();
        meta.put("kind", "policy");
        meta.put("version", out.getFileName().toString());
        meta.put("createdAt", Instant.now().toString());
        ObjectNode files = meta.putObject("files");
        files.put("onnx", PolicyExport.FILE);
        files.put("onnxData", PolicyExport.FILE + ".data");
        files.put("weights", "model.safetensors");
        files.put("config", "config.json");
        files.put("tokenizer", "tokenizer.json");
        files.put("tokenizerConfig", "tokenizer_config.json");
        meta.set("shape", JSON.valueToTree(m.lm().shape()));
        ObjectNode lineage = meta.putObject("lineage");
        lineage.put("convertedFrom", input.toAbsolutePath().toString());
        lineage.put("sourceFormat", m.files().format().name());
        return meta;
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) return;
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
