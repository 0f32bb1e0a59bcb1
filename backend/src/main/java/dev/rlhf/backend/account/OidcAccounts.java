package dev.rlhf.backend.account;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Gives identities from the OIDC provider an account, so their judgments and leases belong to someone.
 * The first token of a new user creates the account (no password: it can only sign in through OIDC);
 * its roles follow the provider's role claim on every sign-in, so granting and revoking happen there.
 * A built-in account (one with a password) is never taken over by a provider user of the same name,
 * and an account disabled here stays locked out whatever the provider says.
 */
@ApplicationScoped
public class OidcAccounts implements SecurityIdentityAugmentor {

    private static final Logger LOG = Logger.getLogger(OidcAccounts.class);
    private static final Duration CACHE_TTL = Duration.ofSeconds(30);

    private record Known(UUID accountId, Set<Role> roles, Instant expires) {
    }

    private final Map<String, Known> known = new ConcurrentHashMap<>();

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous() || identity.getAttribute(SessionIdentityProvider.ACCOUNT_ID) != null) {
            return Uni.createFrom().item(identity);    // anonymous, or a built-in session already resolved
        }
        String username = identity.getPrincipal().getName();
        Set<Role> roles = rolesOf(identity);
        Known cached = known.get(username);
        if (cached != null && cached.roles.equals(roles) && cached.expires.isAfter(Instant.now())) {
            return Uni.createFrom().item(withAccount(identity, cached.accountId));
        }
        return context.runBlocking(() -> {
            UUID accountId = QuarkusTransaction.requiringNew().call(() -> provision(username, roles));
            known.put(username, new Known(accountId, roles, Instant.now().plus(CACHE_TTL)));
            return withAccount(identity, accountId);
        });
    }

    /** Forget cached sign-ins, e.g. after an admin disabled an account. */
    void forget(String username) {
        known.remove(username);
    }

    private static UUID provision(String username, Set<Role> roles) {
        if (username == null || username.isBlank() || username.length() > 64) {
            throw new AuthenticationFailedException("the token's user name is empty or longer than 64 characters");
        }
        Account account = Account.findByUsername(username).orElse(null);
        if (account == null) {
            account = Account.create(username, username, null, roles);
            account.persist();
            LOG.infof("created account %s for an OIDC user with roles %s", username, roles);
            return account.id;
        }
        if (account.passwordHash != null) {
            LOG.warnf("OIDC user %s matches a built-in account with a password; refusing to take it over", username);
            throw new AuthenticationFailedException("user name belongs to a built-in account");
        }
        if (!account.enabled) {
            throw new AuthenticationFailedException("account disabled");
        }
        if (!account.roles().equals(roles)) {
            account.setRoles(roles);
        }
        return account.id;
    }

    private static Set<Role> rolesOf(SecurityIdentity identity) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (Role role : Role.values()) {
            if (identity.hasRole(role.roleName())) {
                roles.add(role);
            }
        }
        return roles;
    }

    private static SecurityIdentity withAccount(SecurityIdentity identity, UUID accountId) {
        return QuarkusSecurityIdentity.builder(identity)
                .addAttribute(SessionIdentityProvider.ACCOUNT_ID, accountId)
                .build();
    }
}
