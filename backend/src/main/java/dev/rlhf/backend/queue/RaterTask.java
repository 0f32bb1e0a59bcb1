package dev.rlhf.backend.queue;

import dev.rlhf.backend.campaign.JudgmentForm;
import dev.rlhf.backend.prompt.Message;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A leased task as its rater sees it: completions in this rater's display order under display labels.
 * It carries no completion ids, models or gold status, so nothing on screen can bias the judgment.
 */
public record RaterTask(UUID assignmentId, UUID campaignId, String campaignName, int guidelineVersion,
                        Instant expiresAt, PromptText prompt, List<ShownCompletion> completions, JudgmentForm form) {

    public record PromptText(List<Message> messages) {
    }

    public record ShownCompletion(String label, String text) {
    }
}
