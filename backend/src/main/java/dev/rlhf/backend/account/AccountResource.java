package dev.rlhf.backend.account;

import dev.rlhf.backend.error.ProblemException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** Users and roles, for admins. Accounts are disabled, never deleted: judgments keep their author. */
@Path("/api/users")
@RolesAllowed(Role.ADMIN_NAME)
public class AccountResource {

    public record UserInput(
            @NotBlank @Size(min = 2, max = 64) @Pattern(regexp = "[A-Za-z0-9._@-]+",
                    message = "may contain letters, digits and . _ @ - only") String username,
            @Size(max = 200) String displayName,
            @NotBlank @Size(min = 8) @MaxUtf8Bytes(PasswordHasher.MAX_PASSWORD_BYTES) String password,
            @NotEmpty List<@NotBlank String> roles) {
    }

    public record UserUpdate(@Size(max = 200) String displayName,
                             @Size(min = 8) @MaxUtf8Bytes(PasswordHasher.MAX_PASSWORD_BYTES) String password,
                             @Size(min = 1, message = "an account needs at least one role; disable it instead")
                             List<@NotBlank String> roles,
                             Boolean enabled) {
    }

    private final PasswordHasher hasher;
    private final SessionStore sessions;
    private final CurrentAccount current;
    private final OidcAccounts oidcAccounts;

    AccountResource(PasswordHasher hasher, SessionStore sessions, CurrentAccount current, OidcAccounts oidcAccounts) {
        this.hasher = hasher;
        this.sessions = sessions;
        this.current = current;
        this.oidcAccounts = oidcAccounts;
    }

    @GET
    public List<UserView> list() {
        return Account.<Account>listAll(io.quarkus.panache.common.Sort.by("username")).stream().map(UserView::of).toList();
    }

    @GET
    @Path("/{id}")
    public UserView get(@PathParam("id") UUID id) {
        return UserView.of(find(id));
    }

    @POST
    @Transactional
    public Response create(@Valid @NotNull UserInput input) {
        if (Account.findByUsername(input.username()).isPresent()) {
            throw ProblemException.conflict("username '" + input.username() + "' is taken");
        }
        Account account = Account.create(input.username(), input.displayName(), hasher.hash(input.password()),
                roles(input.roles()));
        account.persist();
        return Response.status(201).entity(UserView.of(account)).build();
    }

    @PUT
    @Path("/{id}")
    @Transactional
    public UserView update(@PathParam("id") UUID id, @Valid @NotNull UserUpdate update) {
        Account account = find(id);
        boolean endSessions = false;
        if (update.displayName() != null) {
            account.displayName = update.displayName();
        }
        if (update.password() != null) {
            account.passwordHash = hasher.hash(update.password());
            endSessions = true;
        }
        if (update.roles() != null) {
            Set<Role> roles = roles(update.roles());
            if (id.equals(current.id()) && !roles.contains(Role.ADMIN)) {
                throw ProblemException.conflict("you cannot remove your own admin role");
            }
            account.setRoles(roles);
            endSessions = true;
        }
        if (update.enabled() != null) {
            if (!update.enabled() && id.equals(current.id())) {
                throw ProblemException.conflict("you cannot disable your own account");
            }
            account.enabled = update.enabled();
            endSessions |= !update.enabled();
        }
        if (endSessions) {
            sessions.closeAll(id);
            oidcAccounts.forget(account.username);
        }
        return UserView.of(account);
    }

    @DELETE
    @Path("/{id}")
    @Transactional
    public Response disable(@PathParam("id") UUID id) {
        update(id, new UserUpdate(null, null, null, false));
        return Response.noContent().build();
    }

    private static Account find(UUID id) {
        Account account = Account.findById(id);
        if (account == null) {
            throw ProblemException.notFound("user", id);
        }
        return account;
    }

    private static Set<Role> roles(List<String> names) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (String name : names) {
            try {
                roles.add(Role.parse(name));
            } catch (IllegalArgumentException e) {
                throw ProblemException.invalid("roles", e.getMessage());
            }
        }
        return roles;
    }
}
