package dev.rlhf.backend.account;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** What an account may do. The lower-case names are the role names used by {@code @RolesAllowed}. */
public enum Role {
    RATER, RESEARCHER, ADMIN;

    public static final String RATER_NAME = "rater";
    public static final String RESEARCHER_NAME = "researcher";
    public static final String ADMIN_NAME = "admin";

    public String roleName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown role '" + text + "' (expected rater, researcher or admin)");
        }
    }

    static Set<Role> parseList(String commaSeparated) {
        if (commaSeparated == null || commaSeparated.isBlank()) {
            return EnumSet.noneOf(Role.class);
        }
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (String part : commaSeparated.split(",")) {
            roles.add(parse(part));
        }
        return roles;
    }

    static String format(Set<Role> roles) {
        return roles.stream().sorted().map(Role::roleName).collect(Collectors.joining(","));
    }
}
