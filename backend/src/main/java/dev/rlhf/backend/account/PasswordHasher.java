package dev.rlhf.backend.account;

import at.favre.lib.crypto.bcrypt.BCrypt;
import dev.rlhf.backend.config.RlhfConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** bcrypt hashing of account passwords. */
@ApplicationScoped
public class PasswordHasher {

    /** bcrypt reads no further; the library refuses a longer password instead of cutting it. */
    public static final int MAX_PASSWORD_BYTES = 72;

    private final int cost;
    /** Verifying unknown usernames against a real hash keeps login timing the same for both cases. */
    private final String decoyHash;

    PasswordHasher(RlhfConfig config) {
        this.cost = config.auth().bcryptCost();
        this.decoyHash = hash(java.util.UUID.randomUUID().toString());
    }

    public String hash(String password) {
        return BCrypt.withDefaults().hashToString(cost, password.toCharArray());
    }

    public boolean matches(String password, String hash) {
        byte[] candidate = password.getBytes(StandardCharsets.UTF_8);
        // No stored hash comes from a longer password, so it matches none; it is still checked (cut, against the
        // decoy) so that it is answered as slowly as any wrong password.
        boolean hashable = candidate.length <= MAX_PASSWORD_BYTES;
        String against = hash == null || !hashable ? decoyHash : hash;
        boolean verified = BCrypt.verifyer().verify(hashable ? candidate : Arrays.copyOf(candidate, MAX_PASSWORD_BYTES),
                against.getBytes(StandardCharsets.UTF_8)).verified;
        return hash != null && hashable && verified;
    }
}
