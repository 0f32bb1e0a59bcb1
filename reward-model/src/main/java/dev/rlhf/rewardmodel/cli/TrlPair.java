package dev.rlhf.rewardmodel.cli;

/**
 * One line of a TRL preference file, rendered as the worker renders judgments
 * ({@link dev.rlhf.rewardmodel.dataset.PromptFormat}).
 *
 * @param line   1-based line number in the file
 * @param prompt the rendered prompt ({@code role: content} lines); also the unit of the train/validation split
 * @param margin the line's {@code margin}, or null when it has none
 */
public record TrlPair(int line, String prompt, String chosen, String rejected, Double margin) {
}
