package dev.rlhf.backend.account;

import java.util.List;
import java.util.UUID;

/** An account as the API shows it: never the password hash. */
public record UserView(UUID id, String username, String displayName, List<String> roles, boolean enabled) {

    public static UserView of(Account account) {
        return new UserView(account.id, account.username, account.displayName,
                account.roles().stream().sorted().map(Role::roleName).toList(), account.enabled);
    }
}
