package dev.rlhf.events.judgment;

import java.util.List;
import java.util.Objects;

/**
 * The conversation the completions answer. {@code source} says where the prompt came from (a dataset
 * name, an import, a rater-written prompt) so trainers can filter or weight by origin.
 */
public record Prompt(List<Message> messages, List<String> tags, String source) {

    public Prompt {
        Objects.requireNonNull(messages, "prompt.messages");
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("prompt.messages must hold at least one message");
        }
        messages = List.copyOf(messages);
        tags = tags == null ? List.of() : List.copyOf(tags);
    }
}
