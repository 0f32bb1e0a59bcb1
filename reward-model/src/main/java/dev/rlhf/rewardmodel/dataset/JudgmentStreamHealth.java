package dev.rlhf.rewardmodel.dataset;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/** Down when the judgment consumer stopped on its own (an unreadable event, a fenced instance). */
@Liveness
@ApplicationScoped
public class JudgmentStreamHealth implements HealthCheck {

    private final JudgmentStream stream;

    JudgmentStreamHealth(JudgmentStream stream) {
        this.stream = stream;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("judgment-stream");
        if (!stream.isConfigured()) {
            return response.up().withData("reading", false).build();
        }
        return stream.failure()
                .map(f -> response.down().withData("failure", String.valueOf(f.getMessage())).build())
                .orElseGet(() -> response.status(stream.isRunning()).withData("reading", true).build());
    }
}
