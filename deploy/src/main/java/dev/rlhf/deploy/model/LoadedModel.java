package dev.rlhf.deploy.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rlhf.engine.graph.DType;
import dev.rlhf.engine.graph.TensorData;
import dev.rlhf.engine.model.DecoderLm;
import dev.rlhf.engine.model.ModelWeights;
import dev.rlhf.engine.tokenizer.ChatTemplate;
import dev.rlhf.engine.tokenizer.Tokenizer;
import dev.rlhf.engine.weights.ModelFiles;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A model as the command line uses it: the architecture over its weights, its tokenizer and chat
 * template, read from a Hugging Face folder, an engine model folder or a GGUF file, with a progress
 * bar over the tensors (dequantising a GGUF file takes seconds).
 */
record LoadedModel(ModelFiles files, ObjectNode configJson, DecoderLm lm, Tokenizer tokenizer,
                   Optional<ChatTemplate> chat) {

    static LoadedModel load(Path source) throws IOException {
        if (!Files.exists(source)) {
            throw new IllegalArgumentException("no model at " + source + " (give a folder with config.json or a .gguf file)");
        }
        ModelFiles files = ModelFiles.open(source);
        if (!files.hasTokenizer()) {
            throw new IllegalArgumentException(source + " has no tokenizer (tokenizer.json in the folder, or a GGUF vocabulary)");
        }
        Map<String, long[]> shapes = files.tensorShapes();
        Map<String, TensorData> tensors = new LinkedHashMap<>();
        try (ProgressBar bar = new ProgressBarBuilder().setTaskName("loading " + source.getFileName())
                .setInitialMax(shapes.size()).setStyle(ProgressBarStyle.ASCII).setUnit(" tensors", 1)
                .continuousUpdate().setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err))
                .build()) {
            for (String name : shapes.keySet()) {
                tensors.put(name, files.tensor(name));
                bar.step();
            }
        }
        ModelWeights.Checkpoint checkpoint = ModelWeights.of(files.config(), tensors, DType.FLOAT);
        // Serving and export: every weight is a constant of the graph, not an input.
        DecoderLm lm = DecoderLm.of(checkpoint.config(), ModelWeights.parameters(checkpoint.tensors()).freeze(name -> true));
        return new LoadedModel(files, files.config(), lm, files.tokenizer(), files.chat());
    }
}
