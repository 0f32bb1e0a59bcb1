package dev.rlhf.rewardmodel.web;

import dev.rlhf.rewardmodel.config.RewardModelConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;

/** The one bearer token of this worker's API: configured, or generated at start and logged once. */
@ApplicationScoped
public class ApiToken {

    private static final Logger LOG = Logger.getLogger(ApiToken.class);

    private final byte[] token;

    ApiToken(RewardModelConfig config) {
        String value = config.apiToken().orElseGet(() -> {
            byte[] random = new byte[24];
            new SecureRandom().nextBytes(random);
            return HexFormat.of().formatHex(random);
        });
        if (config.apiToken().isEmpty()) {
            LOG.infof("rlhf.reward-model.api-token is not set; this run's API token is %s", value);
        }
        this.token = value.getBytes(StandardCharsets.UTF_8);
    }

    void logAtStart(@Observes StartupEvent startup) {
        // Instantiates the bean at start, so a generated token is printed before the first request.
    }

    /** Constant-time comparison: the time taken says nothing about how much of a guess was right. */
    public boolean matches(String candidate) {
        return candidate != null && MessageDigest.isEqual(token, candidate.getBytes(StandardCharsets.UTF_8));
    }
}
