package dev.rlhf.backend.prompt;

/** One turn of a conversation: role is system, user or assistant. */
public record Message(String role, String content) {

    public static final java.util.Set<String> ROLES = java.util.Set.of("system", "user", "assistant");
}
