package dev.rlhf.rewardmodel.dataset;

import dev.rlhf.events.judgment.Message;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A prompt's identity by content: SHA-256 over its messages (role and content, length-prefixed so no
 * two different conversations collide by concatenation). Two tasks on the same conversation share it,
 * which is what keeps a prompt out of both the training and the validation split.
 */
public final class PromptKey {

    private PromptKey() {
    }

    public static String of(List<Message> messages) {
        MessageDigest sha = sha256();
        for (Message m : messages) {
            update(sha, m.role());
            update(sha, m.content());
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static void update(MessageDigest sha, String part) {
        byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
        sha.update(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
        sha.update((byte) ':');
        sha.update(bytes);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }
}
