package dev.rlhf.rewardmodel.training;

import dev.rlhf.engine.model.RewardModel;

import java.util.List;
import java.util.Map;

/**
 * The outcome of a run: the best model by validation accuracy (adapters merged), its metrics, and the
 * validations that led there.
 */
public record TrainedRewardModel(RewardModel model, Map<String, Double> metrics, List<TrainingProgress> history) {
}
