package dev.rlhf.backend.account;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;

import java.util.UUID;

/** The caller of the current request. */
@RequestScoped
public class CurrentAccount {

    private final SecurityIdentity identity;

    CurrentAccount(SecurityIdentity identity) {
        this.identity = identity;
    }

    public UUID id() {
        UUID id = identity.getAttribute(SessionIdentityProvider.ACCOUNT_ID);
        if (id == null) {
            throw new io.quarkus.security.UnauthorizedException("not logged in");
        }
        return id;
    }

    public String username() {
        return identity.getPrincipal().getName();
    }
}
