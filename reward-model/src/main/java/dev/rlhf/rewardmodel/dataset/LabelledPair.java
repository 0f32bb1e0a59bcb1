package dev.rlhf.rewardmodel.dataset;

import java.util.List;
import java.util.UUID;

/**
 * A preference pair with everything training and evaluation need: the texts, the prompt it answers (the
 * unit of the split), who judged it, and how to weigh or filter it.
 *
 * @param prompt the conversation rendered by {@link PromptFormat}
 */
public record LabelledPair(UUID judgmentId, String promptId, String raterId, String prompt, UUID chosenId,
                           String chosen, UUID rejectedId, String rejected, Integer strength, PairKind kind,
                           PairOrigin origin, boolean gold, List<String> flags) {
}
