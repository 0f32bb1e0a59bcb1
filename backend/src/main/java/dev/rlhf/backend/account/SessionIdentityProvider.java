package dev.rlhf.backend.account;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Turns a session token into a security identity whose roles drive {@code @RolesAllowed}. */
@ApplicationScoped
public class SessionIdentityProvider implements IdentityProvider<TokenAuthenticationRequest> {

    /** Attribute holding the account id, read by {@link CurrentAccount}. */
    static final String ACCOUNT_ID = "rlhf.accountId";

    private final SessionStore sessions;

    SessionIdentityProvider(SessionStore sessions) {
        this.sessions = sessions;
    }

    @Override
    public Class<TokenAuthenticationRequest> getRequestType() {
        return TokenAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(TokenAuthenticationRequest request, AuthenticationRequestContext context) {
        if (!SessionAuthenticationMechanism.TOKEN_TYPE.equals(request.getToken().getType())) {
            return Uni.createFrom().optional(java.util.Optional.empty());
        }
        // A session resolved recently is answered on the event loop; only a lookup in the database is
        // blocking work. Every API call authenticates, so the hop to a worker thread is worth saving.
        java.util.Optional<SessionStore.Principal> cached = sessions.cached(request.getToken().getToken());
        if (cached.isPresent()) {
            return Uni.createFrom().item(identity(cached.get(), request));
        }
        return context.runBlocking(() -> identity(sessions.resolve(request.getToken().getToken())
                .orElseThrow(() -> new AuthenticationFailedException("session unknown or expired")), request));
    }

    private static SecurityIdentity identity(SessionStore.Principal principal, TokenAuthenticationRequest request) {
        QuarkusSecurityIdentity.Builder identity = QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(principal.username()))
                .addCredential(request.getToken())
                .addAttribute(ACCOUNT_ID, principal.accountId());
        principal.roles().forEach(role -> identity.addRole(role.roleName()));
        return identity.build();
    }
}
