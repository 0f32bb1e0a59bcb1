package dev.rlhf.backend.rewardmodel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rlhf.backend.config.RlhfConfig;
import dev.rlhf.backend.error.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * Calls the reward-model worker's API on behalf of a researcher. The worker answers with JSON or a
 * problem body; a worker problem keeps its status (404, 409...), an unreachable or failing worker
 * becomes a 503 or 504 problem saying so, never a 500.
 */
@ApplicationScoped
public class RewardModelWorkerClient {

    private static final Logger LOG = Logger.getLogger(RewardModelWorkerClient.class);

    public record Reply(int status, JsonNode body) {
    }

    private final RlhfConfig.RewardModel config;
    private final ObjectMapper json;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    RewardModelWorkerClient(RlhfConfig config, ObjectMapper json) {
        this.config = config.rewardModel();
        this.json = json;
    }

    public Reply get(String path) {
        return send(request(path).GET());
    }

    public Reply post(String path) {
        return send(request(path).POST(HttpRequest.BodyPublishers.noBody()));
    }

    /** POSTs {@code body} as JSON, waiting at most {@code timeout} for the answer. */
    public Reply post(String path, Object body, Duration timeout) {
        byte[] bytes;
        try {
            bytes = json.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot write the request to the reward-model worker as JSON", e);
        }
        return send(request(path).timeout(timeout).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)));
    }

    /** Whether a worker is configured at all (rlhf.reward-model.url). */
    public boolean configured() {
        return baseUrl().isPresent();
    }

    private java.util.Optional<String> baseUrl() {
        return config.url().filter(u -> !u.isBlank());
    }

    private HttpRequest.Builder request(String path) {
        String base = baseUrl().orElseThrow(() -> new ProblemException(503,
                "Service unavailable", "no reward-model worker is configured here (rlhf.reward-model.url)"));
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base.replaceAll("/+$", "") + path))
                .timeout(config.timeout()).header("Accept", "application/json");
        config.apiToken().ifPresent(token -> builder.header("Authorization", "Bearer " + token));
        return builder;
    }

    private Reply send(HttpRequest.Builder request) {
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            throw new ProblemException(504, "Gateway timeout", "the reward-model worker did not answer in time");
        } catch (IOException e) {
            LOG.warnf("reward-model worker unreachable: %s", e.toString());
            throw new ProblemException(503, "Service unavailable", "the reward-model worker is not reachable; is it running?");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProblemException(503, "Service unavailable", "interrupted while calling the reward-model worker");
        }
        int status = response.statusCode();
        if (status == 401 || status == 403) {
            LOG.warn("the reward-model worker refused this backend's token (rlhf.reward-model.api-token)");
            throw new ProblemException(503, "Service unavailable", "the reward-model worker refused this backend's credentials");
        }
        if (status >= 500) {
            throw new ProblemException(503, "Service unavailable", "the reward-model worker failed (HTTP " + status + ")");
        }
        JsonNode body;
        try {
            body = response.body().length == 0 ? null : json.readTree(response.body());
        } catch (IOException e) {
            throw new ProblemException(503, "Service unavailable", "the reward-model worker answered with something other than JSON");
        }
        if (status >= 400) {
            String detail = body != null && body.hasNonNull("detail") ? body.get("detail").asText() : "HTTP " + status;
            String title = body != null && body.hasNonNull("title") ? body.get("title").asText() : "Reward-model worker";
            throw new ProblemException(status, title, detail);
        }
        return new Reply(status, body);
    }
}
