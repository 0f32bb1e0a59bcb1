package dev.rlhf.engine.model;

import dev.rlhf.engine.checkpoint.Checkpoint;
import dev.rlhf.engine.graph.DType;
import dev.rlhf.engine.graph.GraphBuilder;
import dev.rlhf.engine.graph.ModelWriter;
import dev.rlhf.engine.graph.Ops;
import dev.rlhf.engine.graph.Shape;
import dev.rlhf.engine.train.Parameters;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes a trained GPT as a serving model: int64 tokens (batch, T) in, logits (batch, T, V) out,
 * every weight an initializer (large ones in {@code model.onnx.data}), and the config plus the
 * caller's provenance (judgments, base model, hyperparameters) in the model's metadata.
 * Merge LoRA adapters first ({@code Lora.merge}): the serving graph has no adapter path.
 */
public final class GptExport {
    public static final String FILE = "model.onnx";

    private GptExport() {
    }

    public static Path write(Parameters trained, GptConfig config, long sequenceLength, Path dir,
                             Map<String, String> provenance) throws IOException {
        if (trained.lora() != null) {
            throw new IllegalStateException("merge the LoRA adapters before export");
        }
        Parameters weights = new Parameters().training(false);
        trained.names().forEach(n -> weights.add(n, trained.get(n)));
        weights.freeze(n -> true);   // every weight becomes an initializer
        GraphBuilder g = new GraphBuilder("gpt_logits");
        Ops o = new Ops(g);
        var tokens = g.input("tokens", DType.INT64, Shape.symbolic("batch", sequenceLength));
        g.output(Gpt.logits(o, weights, config, tokens), "logits");
        Map<String, String> metadata = new LinkedHashMap<>(provenance);
        metadata.put("config", Checkpoint.configOf(config).toString());
        return ModelWriter.write(g, metadata, dir, FILE, ModelWriter.DEFAULT_EXTERNAL_THRESHOLD);
    }
}
