package dev.rlhf.rewardmodel.training;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Decides train or validation per prompt, by hash: the same prompt always falls on the same side (so no
 * prompt is in both, and a growing dataset never moves a prompt across), and a different salt draws
 * another split.
 */
public final class PromptSplit {

    private final String salt;
    private final double validationFraction;

    public PromptSplit(String salt, double validationFraction) {
        if (!(validationFraction >= 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("validation-fraction must be in [0, 1), got " + validationFraction);
        }
        this.salt = salt;
        this.validationFraction = validationFraction;
    }

    public boolean isValidation(String promptId) {
        return unitInterval(promptId) < validationFraction;
    }

    /** The first 8 bytes of SHA-256(salt, prompt id) as a number in [0, 1). */
    double unitInterval(String promptId) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(salt.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            byte[] digest = sha.digest(promptId.getBytes(StandardCharsets.UTF_8));
            long bits = 0;
            for (int i = 0; i < 8; i++) {
                bits = (bits << 8) | (digest[i] & 0xff);
            }
            return (bits >>> 11) * 0x1.0p-53;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }
}
