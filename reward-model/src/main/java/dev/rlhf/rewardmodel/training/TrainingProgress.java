package dev.rlhf.rewardmodel.training;

/**
 * One validation during a run.
 *
 * @param trainLoss mean training loss since the previous validation
 */
public record TrainingProgress(long step, int epoch, double trainLoss, double validationAccuracy, boolean best) {
}
