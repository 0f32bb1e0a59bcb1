package dev.rlhf.backend.account;

import dev.rlhf.backend.config.RlhfConfig;
import dev.rlhf.backend.error.ProblemException;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;

/** Login and logout with built-in accounts. */
@Path("/api/auth")
public class AuthResource {

    public record LoginRequest(@NotBlank @Size(max = 64) String username, @NotBlank @Size(max = 200) String password) {
    }

    public record LoginResponse(String token, UserView user) {
    }

    private final SessionStore sessions;
    private final PasswordHasher hasher;
    private final CurrentAccount current;
    private final boolean secureCookie;
    private final boolean passwordLogin;

    AuthResource(SessionStore sessions, PasswordHasher hasher, CurrentAccount current, RlhfConfig config) {
        this.sessions = sessions;
        this.hasher = hasher;
        this.current = current;
        this.secureCookie = config.auth().secureCookie();
        this.passwordLogin = config.auth().passwordLogin();
    }

    @POST
    @Path("/login")
    @PermitAll
    public Response login(@Valid @NotNull LoginRequest request) {
        if (!passwordLogin) {
            throw new ProblemException(403, "Forbidden", "password login is turned off here; sign in through the OIDC provider");
        }
        Account account = Account.findByUsername(request.username()).orElse(null);
        boolean passwordMatches = hasher.matches(request.password(), account == null ? null : account.passwordHash);
        if (account == null || !passwordMatches || !account.enabled) {
            throw new ProblemException(401, "Unauthorized", "unknown username, wrong password, or disabled account");
        }
        String token = sessions.open(account.id);
        return Response.ok(new LoginResponse(token, UserView.of(account)))
                .cookie(sessionCookie(token, (int) sessions.sessionTtl().toSeconds()))
                .build();
    }

    @POST
    @Path("/logout")
    @PermitAll
    public Response logout(@CookieParam(SessionAuthenticationMechanism.COOKIE) String cookie,
                           @HeaderParam("Authorization") String authorization) {
        String token = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).trim() : cookie;
        if (token != null && !token.isEmpty()) {
            sessions.close(token);
        }
        return Response.noContent().cookie(sessionCookie("", 0)).build();
    }

    @GET
    @Path("/me")
    @RolesAllowed("**")
    public UserView me() {
        Account account = Account.findById(current.id());
        if (account == null) {
            throw ProblemException.notFound("account", current.id());
        }
        return UserView.of(account);
    }

    private NewCookie sessionCookie(String value, int maxAge) {
        return new NewCookie.Builder(SessionAuthenticationMechanism.COOKIE)
                .value(value).path("/").httpOnly(true).secure(secureCookie)
                .sameSite(NewCookie.SameSite.STRICT).maxAge(maxAge).build();
    }
}
