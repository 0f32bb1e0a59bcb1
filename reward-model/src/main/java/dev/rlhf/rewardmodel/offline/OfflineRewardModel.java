package dev.rlhf.rewardmodel.offline;

import dev.rlhf.engine.runtime.Engine;
import dev.rlhf.events.model.Lineage;
import dev.rlhf.rewardmodel.dataset.DatasetSnapshot;
import dev.rlhf.rewardmodel.dataset.LabelledPair;
import dev.rlhf.rewardmodel.dataset.PromptFormat;
import dev.rlhf.rewardmodel.registry.RewardModelRegistry;
import dev.rlhf.rewardmodel.registry.VersionFiles;
import dev.rlhf.rewardmodel.registry.VersionMetadata;
import dev.rlhf.rewardmodel.scoring.ServingModel;
import dev.rlhf.rewardmodel.training.RewardModelTrainer;
import dev.rlhf.rewardmodel.training.StartingPoint;
import dev.rlhf.rewardmodel.training.TrainedRewardModel;
import dev.rlhf.rewardmodel.training.TrainingData;
import dev.rlhf.rewardmodel.training.TrainingProgress;
import dev.rlhf.rewardmodel.training.TrainingSettings;
import dev.rlhf.rewardmodel.training.VersionMetrics;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Reward models from files, without Kafka or a database: train on a TRL preference JSONL file into a
 * version folder (the same layout the worker publishes), and evaluate any version folder on such a file.
 * What {@code ./rlhf train rm} and {@code ./rlhf eval rm} call.
 */
public final class OfflineRewardModel {

    private OfflineRewardModel() {
    }

    /**
     * Trains from {@code model} (Hugging Face folder, GGUF file, or a reward model version folder) on
     * {@code data} and writes version 1 of {@code modelId} to {@code out}, which must not exist.
     */
    public static VersionMetadata train(Engine engine, Path data, Path model, Path out, String modelId,
                                        TrainingSettings settings, Consumer<TrainingProgress> progress) throws IOException {
        List<LabelledPair> pairs = TrlPreferenceFile.read(data);
        List<UUID> ids = pairs.stream().map(LabelledPair::judgmentId).sorted().toList();
        TrainingData split = TrainingData.of(new DatasetSnapshot(ids, pairs, List.of(), 0, List.of()), settings);
        try (StartingPoint start = StartingPoint.load(model)) {
            TrainedRewardModel trained = new RewardModelTrainer(engine, settings).train(split, start, progress);
            Map<String, Object> hyperparameters = new LinkedHashMap<>(settings.asLineage());
            hyperparameters.put("data", data.toAbsolutePath().normalize().toString());
            Map<String, Double> metrics = new LinkedHashMap<>();
            trained.metrics().forEach((k, v) -> {
                if (Double.isFinite(v)) metrics.put(k, v);
            });
            VersionMetadata metadata = new VersionMetadata(modelId, 1, Instant.now(), start.source(), null,
                    start.encoder().encoding(), settings.maxLength(),
                    new Lineage(List.of(), split.usedJudgments().size(), start.source(), null, hyperparameters),
                    ids, new ArrayList<>(split.usedJudgments()), 0, metrics, trained.history());
            RewardModelRegistry.writeFolder(out, metadata, dir -> VersionFiles.write(dir, start, trained,
                    Map.of("rlhf.model_id", modelId, "rlhf.version", "1", "rlhf.base_model", start.source())));
            return metadata;
        }
    }

    /**
     * Scores every pair of {@code data} with the version in {@code versionFolder}: {@code accuracy},
     * {@code ece}, {@code margin} (mean Δr), {@code majority_agreement}, {@code pairs}.
     */
    public static Map<String, Double> evaluate(Engine engine, Path versionFolder, Path data, int batchSize)
            throws IOException {
        List<LabelledPair> pairs = TrlPreferenceFile.read(data);
        VersionMetadata metadata = RewardModelRegistry.readFolder(versionFolder);
        Map<UUID, String> texts = new LinkedHashMap<>();
        for (LabelledPair p : pairs) {
            texts.putIfAbsent(p.chosenId(), PromptFormat.withCompletion(p.prompt(), p.chosen()));
            texts.putIfAbsent(p.rejectedId(), PromptFormat.withCompletion(p.prompt(), p.rejected()));
        }
        try (ServingModel model = ServingModel.open(engine, versionFolder, metadata)) {
            double[] scores = model.score(new ArrayList<>(texts.values()), batchSize);
            Map<UUID, Double> rewards = new LinkedHashMap<>();
            int i = 0;
            for (UUID id : texts.keySet()) rewards.put(id, scores[i++]);
            Map<String, Double> m = VersionMetrics.of(pairs, List.of(), rewards);
            Map<String, Double> out = new LinkedHashMap<>();
            out.put("accuracy", m.get(VersionMetrics.VALIDATION_ACCURACY));
            out.put("ece", m.get(VersionMetrics.VALIDATION_ECE));
            out.put("margin", m.get(VersionMetrics.VALIDATION_MARGIN));
            out.put("majority_agreement", m.get(VersionMetrics.MAJORITY_AGREEMENT));
            out.put("pairs", (double) pairs.size());
            return out;
        }
    }
}
