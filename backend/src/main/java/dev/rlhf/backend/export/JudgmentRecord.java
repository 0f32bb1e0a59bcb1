package dev.rlhf.backend.export;

import dev.rlhf.backend.judgment.Flag;
import dev.rlhf.backend.prompt.Message;
import dev.rlhf.backend.prompt.ModelRef;
import dev.rlhf.backend.task.GoldAnswer;
import dev.rlhf.backend.task.Outcome;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * A judgment with everything needed to train on it without asking this service again: the prompt, the
 * completions in canonical order with their models, and the verdict. The full export writes one per line.
 */
public record JudgmentRecord(UUID judgmentId, UUID taskId, UUID campaignId, String campaignName, int guidelineVersion,
                             String raterId, boolean gold, GoldAnswer goldAnswer, PromptRecord prompt,
                             List<CompletionRecord> completions, Outcome outcome, Integer strength,
                             List<Integer> ranking, Map<String, Integer> criteria, String rationale,
                             String correctedAnswer, Set<Flag> flags, Long timeOnTaskMs, Instant submittedAt) {

    public record PromptRecord(List<Message> messages, List<String> tags, String source) {
    }

    public record CompletionRecord(UUID completionId, String text, ModelRef model, Map<String, Object> sampling,
                                   Integer tokenCount) {
    }
}
