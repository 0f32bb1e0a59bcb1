package dev.rlhf.backend.account;

import at.favre.lib.crypto.bcrypt.BCrypt;
import dev.rlhf.backend.config.RlhfConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;

/** bcrypt hashing of account passwords. */
@ApplicationScoped
public class PasswordHasher {

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
        String against = hash == null ? decoyHash : hash;
        boolean verified = BCrypt.verifyer().verify(password.getBytes(StandardCharsets.UTF_8),
                against.getBytes(StandardCharsets.UTF_8)).verified;
        return hash != null && verified;
    }
}
