package dev.rlhf.deploy.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A minimal JSON client for benchmarks: one call, its status and body. */
public final class HttpJson {

    public record Reply(int status, JsonNode body) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    private final Duration timeout;

    public HttpJson(String base) {
        this(base, Duration.ofSeconds(30));
    }

    /** A longer timeout suits set-up calls such as importing tens of thousands of prompts. */
    public HttpJson(String base, Duration timeout) {
        this.base = base;
        this.timeout = timeout;
    }

    public Reply call(String method, String path, String token, Object body, String contentType) throws IOException, InterruptedException {
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body instanceof String s ? s : JSON.writeValueAsString(body));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout)
                .method(method, publisher).header("Content-Type", contentType);
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        JsonNode parsed = response.body().length == 0 ? null : JSON.readTree(response.body());
        return new Reply(response.statusCode(), parsed);
    }

    public Reply json(String method, String path, String token, Object body) throws IOException, InterruptedException {
        return call(method, path, token, body, "application/json");
    }

    /** Like {@link #json} but fails loudly unless the status is the expected one. */
    public JsonNode expect(int status, String method, String path, String token, Object body) throws IOException, InterruptedException {
        Reply reply = json(method, path, token, body);
        if (reply.status() != status) {
            throw new IllegalStateException(method + " " + path + " answered " + reply.status() + ": " + reply.body());
        }
        return reply.body();
    }
}
