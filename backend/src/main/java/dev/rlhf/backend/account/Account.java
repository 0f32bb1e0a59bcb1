package dev.rlhf.backend.account;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** A person who logs in: a rater, a researcher, an admin, or several of these. */
@Entity
@Table(name = "account")
public class Account extends PanacheEntityBase {

    @Id
    public UUID id;

    public String username;

    @Column(name = "display_name")
    public String displayName;

    @Column(name = "password_hash")
    public String passwordHash;

    /** Comma-separated role names; read and written through {@link #roles()} and {@link #setRoles}. */
    @Column(name = "roles")
    String roleList;

    public boolean enabled = true;

    @Column(name = "created_at")
    public Instant createdAt;

    public static Account create(String username, String displayName, String passwordHash, Set<Role> roles) {
        Account account = new Account();
        account.id = UUID.randomUUID();
        account.username = username;
        account.displayName = displayName;
        account.passwordHash = passwordHash;
        account.setRoles(roles);
        account.createdAt = Instant.now();
        return account;
    }

    public Set<Role> roles() {
        return Role.parseList(roleList);
    }

    public void setRoles(Set<Role> roles) {
        this.roleList = Role.format(roles);
    }

    public static Optional<Account> findByUsername(String username) {
        return find("username", username).firstResultOptional();
    }
}
