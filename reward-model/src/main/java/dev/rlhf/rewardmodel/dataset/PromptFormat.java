package dev.rlhf.rewardmodel.dataset;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * How a conversation and a completion become the one text a reward model reads: one line per message,
 * {@code role: content}, then {@code assistant: } and the completion. The reward head reads the last
 * token, so the completion ends the text; when it must be cut, the start is cut.
 */
public final class PromptFormat {

    private PromptFormat() {
    }

    /** @param messages the prompt's messages as stored: an array of {@code {role, content}} */
    public static String render(JsonNode messages) {
        StringBuilder text = new StringBuilder();
        for (JsonNode m : messages) {
            text.append(m.path("role").asText()).append(": ").append(m.path("content").asText()).append('\n');
        }
        return text.toString();
    }

    public static String render(java.util.List<dev.rlhf.events.judgment.Message> messages) {
        StringBuilder text = new StringBuilder();
        for (var m : messages) {
            text.append(m.role()).append(": ").append(m.content()).append('\n');
        }
        return text.toString();
    }

    public static String withCompletion(String renderedPrompt, String completion) {
        return renderedPrompt + "assistant: " + completion;
    }
}
