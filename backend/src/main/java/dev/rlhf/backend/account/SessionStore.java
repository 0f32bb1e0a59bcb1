package dev.rlhf.backend.account;

import dev.rlhf.backend.config.RlhfConfig;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Logins as opaque random tokens. The token travels as an HttpOnly cookie or a bearer header; the
 * database keeps its hash. Resolved tokens are cached briefly because every API call needs one; the cache
 * is keyed by the token itself (it lives in this process only, like the request that carried the token), so a
 * cached call costs a map lookup instead of a SHA-256.
 */
@ApplicationScoped
public class SessionStore {

    /** Who a token belongs to, as the security layer needs it. */
    public record Principal(UUID accountId, String username, Set<Role> roles) {
    }

    private record Cached(Principal principal, Instant sessionExpires, Instant cacheExpires) {
    }

    private final SecureRandom random = new SecureRandom();
    /** By token: nothing of it leaves memory; the database sees only {@link #hash}es. */
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private final Duration sessionTtl;
    private final Duration cacheTtl;

    SessionStore(RlhfConfig config) {
        this.sessionTtl = config.auth().sessionTtl();
        this.cacheTtl = config.auth().sessionCacheTtl();
    }

    public Duration sessionTtl() {
        return sessionTtl;
    }

    /** Opens a session for an account that has already proven its password; returns the token. */
    public String open(UUID accountId) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Instant now = Instant.now();
        QuarkusTransaction.requiringNew().run(() -> {
            AuthSession session = new AuthSession();
            session.tokenHash = hash(token);
            session.accountId = accountId;
            session.createdAt = now;
            session.expiresAt = now.plus(sessionTtl);
            session.persist();
        });
        return token;
    }

    /**
     * The principal of a session resolved within the cache's lifetime, without touching the database; empty
     * when it must be looked up with {@link #resolve}. Cheap enough for the event loop.
     */
    public Optional<Principal> cached(String token) {
        return fresh(token, Instant.now());
    }

    private Optional<Principal> fresh(String token, Instant now) {
        Cached cached = cache.get(token);
        if (cached != null && cached.cacheExpires.isAfter(now) && cached.sessionExpires.isAfter(now)) {
            return Optional.of(cached.principal);
        }
        return Optional.empty();
    }

    /** The principal of a live session, or empty for unknown, expired or disabled ones. */
    public Optional<Principal> resolve(String token) {
        Instant now = Instant.now();
        Optional<Principal> cached = fresh(token, now);
        if (cached.isPresent()) {
            return cached;
        }
        Optional<Cached> loaded = QuarkusTransaction.joiningExisting().call(() -> load(hash(token), now));
        loaded.ifPresentOrElse(c -> cache.put(token, c), () -> cache.remove(token));
        return loaded.map(Cached::principal);
    }

    private Optional<Cached> load(String key, Instant now) {
        AuthSession session = AuthSession.findById(key);
        if (session == null || !session.expiresAt.isAfter(now)) {
            return Optional.empty();
        }
        Account account = Account.findById(session.accountId);
        if (account == null || !account.enabled) {
            return Optional.empty();
        }
        Principal principal = new Principal(account.id, account.username, account.roles());
        return Optional.of(new Cached(principal, session.expiresAt, now.plus(cacheTtl)));
    }

    public void close(String token) {
        cache.remove(token);
        QuarkusTransaction.joiningExisting().run(() -> AuthSession.deleteById(hash(token)));
    }

    /** Ends every session of an account (disabled, roles or password changed). */
    public void closeAll(UUID accountId) {
        cache.values().removeIf(c -> c.principal.accountId().equals(accountId));
        QuarkusTransaction.joiningExisting().run(() -> AuthSession.delete("accountId", accountId));
    }

    private static String hash(String token) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
