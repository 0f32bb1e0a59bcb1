package dev.rlhf.backend.account;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.UUID;

/**
 * Pseudonymous rater ids for data that leaves the service (exports, events): an HMAC of the account id
 * under a secret the installation generates on first start. Stable across restarts, not reversible
 * without the database.
 */
@ApplicationScoped
public class Pseudonyms {

    private final EntityManager em;
    private volatile SecretKeySpec key;
    /** A keyed Mac per thread: looking one up and keying it cost more than the HMAC itself on every submit. */
    private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(this::keyedMac);

    Pseudonyms(EntityManager em) {
        this.em = em;
    }

    /**
     * Loaded once at start-up, never lazily inside a request: a request's transaction already holds a
     * connection, and fetching the secret there needs a second one, which under load starves the pool.
     */
    void loadSecret(@Observes @Priority(10) StartupEvent event) {
        key = new SecretKeySpec(HexFormat.of().parseHex(loadOrCreateSecret()), "HmacSHA256");
    }

    public String of(UUID accountId) {
        byte[] digest = macs.get().doFinal(accountId.toString().getBytes(StandardCharsets.UTF_8));
        return "r-" + HexFormat.of().formatHex(digest, 0, 12);
    }

    private Mac keyedMac() {
        if (key == null) {
            throw new IllegalStateException("the pseudonym secret is loaded at start-up; nothing may ask for a pseudonym before");
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    private String loadOrCreateSecret() {
        return QuarkusTransaction.requiringNew().call(() -> {
            byte[] fresh = new byte[32];
            new SecureRandom().nextBytes(fresh);
            em.createNativeQuery("INSERT INTO installation (id, pseudonym_secret, created_at) VALUES (1, :s, now()) "
                            + "ON CONFLICT (id) DO NOTHING")
                    .setParameter("s", HexFormat.of().formatHex(fresh)).executeUpdate();
            return (String) em.createNativeQuery("SELECT pseudonym_secret FROM installation WHERE id = 1").getSingleResult();
        });
    }
}
