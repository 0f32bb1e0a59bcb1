package dev.rlhf.engine.reward;

import dev.rlhf.engine.graph.GraphBuilder;
import dev.rlhf.engine.graph.ModelWriter;
import dev.rlhf.engine.model.DecoderLm;
import dev.rlhf.engine.model.RewardModel;
import dev.rlhf.engine.train.Parameters;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes a reward model as a serving graph ({@link RewardGraphs#scoring}: input_ids, position_ids,
 * attention_mask in, rewards out) with every weight an initializer (large ones in
 * {@code reward_model.onnx.data}) and the caller's provenance in the model's metadata.
 * Merge LoRA adapters first: the serving graph has no adapter path.
 */
public final class RewardModelExport {
    public static final String FILE = "reward_model.onnx";

    private RewardModelExport() {
    }

    public static Path write(RewardModel model, Path dir, Map<String, String> provenance) throws IOException {
        Parameters trained = model.backbone().parameters();
        if (trained.lora() != null) throw new IllegalStateException("merge the LoRA adapters before export");
        Parameters weights = new Parameters().training(false);
        for (String name : trained.names()) {
            weights.add(name, trained.get(name));
            if (trained.isStoredOutByIn(name)) weights.storedOutByIn(name::equals);
        }
        weights.freeze(n -> true);   // every weight becomes an initializer
        RewardModel serving = new RewardModel(DecoderLm.of(model.backbone().config(), weights));
        GraphBuilder graph = RewardGraphs.scoring(serving);
        return ModelWriter.write(graph, provenance, dir, FILE, ModelWriter.DEFAULT_EXTERNAL_THRESHOLD);
    }
}
