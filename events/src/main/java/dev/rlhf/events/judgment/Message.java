package dev.rlhf.events.judgment;

import java.util.Objects;

/** One turn of the prompt conversation; {@code role} is {@code system}, {@code user} or {@code assistant}. */
public record Message(String role, String content) {

    public Message {
        Objects.requireNonNull(role, "message.role");
        Objects.requireNonNull(content, "message.content");
    }
}
