package dev.rlhf.rewardmodel.registry;

import dev.rlhf.events.model.Lineage;
import dev.rlhf.rewardmodel.training.TrainingProgress;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A version's {@code metadata.json}: what it is, what it was made from, how good it is.
 *
 * @param warmStartedFrom   the version whose weights it started from, or null (the base model)
 * @param encoding          {@code tokenizer.json} or {@code utf8-bytes}: how texts become token ids
 * @param maxLength         tokens per scored text (the end is kept)
 * @param lineage           offset ranges, judgments used, base model, hyperparameters
 * @param judgmentIds       every judgment materialised when the run started: exactly what it saw
 * @param trainedJudgmentIds the judgments that gave training or validation pairs (after filtering)
 * @param datasetSeq        arrival number of the newest judgment seen (for the retrain trigger)
 * @param metrics           finite metrics only; an absent one could not be measured (e.g. no gold tasks)
 */
public record VersionMetadata(String modelId, int version, Instant createdAt, String baseModel,
                              Integer warmStartedFrom, String encoding, int maxLength, Lineage lineage,
                              List<UUID> judgmentIds, List<UUID> trainedJudgmentIds, long datasetSeq,
                              Map<String, Double> metrics, List<TrainingProgress> history) {
}
