package dev.rlhf.backend.account;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.credential.TokenCredential;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.Cookie;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Set;

/** Reads the session token from the {@code rlhf_session} cookie or an {@code Authorization: Bearer} header. */
@ApplicationScoped
public class SessionAuthenticationMechanism implements HttpAuthenticationMechanism {

    public static final String COOKIE = "rlhf_session";
    static final String TOKEN_TYPE = "rlhf-session";

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        String header = context.request().getHeader("Authorization");
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String token = header.substring(7).trim();
            // Session tokens are opaque base64url; a dotted token is a JWT for the OIDC mechanism, if enabled.
            return token.isEmpty() || looksLikeJwt(token) ? anonymous() : identity(token, identityProviderManager);
        }
        Cookie cookie = context.request().getCookie(COOKIE);
        if (cookie == null || cookie.getValue().isEmpty()) {
            return anonymous();
        }
        // A cookie outlives its session (a logout in another tab, a password or role change, expiry) and the
        // browser keeps sending it. Refusing it would refuse the login that replaces it, and the logout that
        // clears it: a stale cookie counts as no credentials, and protected endpoints still answer 401.
        return identity(cookie.getValue(), identityProviderManager)
                .onFailure(AuthenticationFailedException.class).recoverWithNull();
    }

    private static Uni<SecurityIdentity> identity(String token, IdentityProviderManager identityProviderManager) {
        return identityProviderManager.authenticate(
                new TokenAuthenticationRequest(new TokenCredential(token, TOKEN_TYPE)));
    }

    private static Uni<SecurityIdentity> anonymous() {
        return Uni.createFrom().nullItem();
    }

    private static boolean looksLikeJwt(String token) {
        int first = token.indexOf('.');
        return first > 0 && token.indexOf('.', first + 1) > first;
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, null, null));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(TokenAuthenticationRequest.class);
    }
}
