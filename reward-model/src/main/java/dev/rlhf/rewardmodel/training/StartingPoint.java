package dev.rlhf.rewardmodel.training;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rlhf.engine.graph.DType;
import dev.rlhf.engine.model.DecoderLm;
import dev.rlhf.engine.model.ModelWeights;
import dev.rlhf.engine.weights.ModelFiles;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The weights a run starts from, with their encoder: a base model (Hugging Face folder or GGUF file,
 * a reward head is added) or a previous version's folder (it has its head: warm start).
 *
 * @param configJson the Hugging Face config.json, saved with every version
 * @param source     what lineage calls the starting weights
 */
public record StartingPoint(DecoderLm backbone, JsonNode configJson, TextEncoder encoder, String source)
        implements AutoCloseable {

    public static StartingPoint load(Path dirOrGguf) throws IOException {
        ModelFiles files = ModelFiles.open(dirOrGguf);
        ModelWeights.Checkpoint checkpoint = ModelWeights.of(files.config(), files.tensors(), DType.FLOAT);
        DecoderLm backbone = DecoderLm.of(checkpoint.config(), ModelWeights.parameters(checkpoint.tensors()));
        TextEncoder encoder = files.hasTokenizer() ? TextEncoder.of(files.tokenizer())
                : TextEncoder.bytes(checkpoint.config().vocabSize());
        return new StartingPoint(backbone, checkpoint.configJson(), encoder, dirOrGguf.toAbsolutePath().normalize().toString());
    }

    /** The encoder of a model folder or file alone, without loading its weights (for serving). */
    public static TextEncoder encoderOf(Path dirOrGguf) throws IOException {
        ModelFiles files = ModelFiles.open(dirOrGguf);
        return files.hasTokenizer() ? TextEncoder.of(files.tokenizer())
                : TextEncoder.bytes(files.config().path("vocab_size").asInt(0));
    }

    @Override
    public void close() {
        encoder.close();
    }
}
