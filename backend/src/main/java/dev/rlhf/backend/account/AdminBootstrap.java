package dev.rlhf.backend.account;

import dev.rlhf.backend.config.RlhfConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumSet;

/** Creates the admin account on the first start, with a configured or a generated password. */
@ApplicationScoped
public class AdminBootstrap {

    private static final Logger LOG = Logger.getLogger(AdminBootstrap.class);

    @Transactional
    void onStart(@Observes StartupEvent event, RlhfConfig config, PasswordHasher hasher) {
        if (Account.count("roleList like ?1", "%" + Role.ADMIN_NAME + "%") > 0) {
            return;
        }
        String password = config.adminPassword().filter(p -> !p.isBlank()).orElse(null);
        boolean generated = password == null;
        if (generated) {
            byte[] bytes = new byte[15];
            new SecureRandom().nextBytes(bytes);
            password = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        }
        Account admin = Account.create(config.adminUsername(), "Administrator", hasher.hash(password),
                EnumSet.of(Role.ADMIN, Role.RESEARCHER));
        admin.persist();
        if (generated) {
            // Printed once, on the first start only: the database keeps just the bcrypt hash.
            LOG.warnf("created account '%s' with generated password: %s (set RLHF_ADMIN_PASSWORD to choose one)",
                    config.adminUsername(), password);
        } else {
            LOG.infof("created account '%s' with the password from RLHF_ADMIN_PASSWORD", config.adminUsername());
        }
    }
}
