package dev.rlhf.rewardmodel.registry;

import dev.rlhf.engine.model.ModelWeights;
import dev.rlhf.engine.reward.RewardModelExport;
import dev.rlhf.rewardmodel.training.StartingPoint;
import dev.rlhf.rewardmodel.training.TrainedRewardModel;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The model files of a version: {@code config.json} and {@code model.safetensors} (Hugging Face layout,
 * reward head included), the tokenizer if the model has one, and the serving graph {@code reward_model.onnx}.
 */
public final class VersionFiles {

    private VersionFiles() {
    }

    public static void write(Path dir, StartingPoint start, TrainedRewardModel trained, Map<String, String> provenance)
            throws IOException {
        ModelWeights.save(dir, start.configJson(), trained.model().backbone().parameters());
        start.encoder().saveTo(dir);
        RewardModelExport.write(trained.model(), dir, provenance);
    }
}
