package dev.rlhf.deploy.bench;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;

/**
 * The ingest driver's client: blocking JSON calls on {@link HttpURLConnection}, each on the calling thread over a
 * connection kept alive between calls. On a 2-core machine shared with the system under test, the driver's own CPU
 * is taken from the backend: this client costs less per call than {@code java.net.http}, whose asynchronous
 * design hands every exchange between the caller, a selector thread and an executor.
 *
 * <p>The JDK keeps at most {@code http.maxConnections} idle connections per server (5 by default) and closes the
 * rest; {@link #keepAlive(int)} must raise it, before the first call, to at least the number of raters.
 */
final class KeptAliveJson {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] NO_BODY = new byte[0];

    private final String base;

    KeptAliveJson(String base) {
        this.base = base;
    }

    /** Lets every one of {@code connections} concurrent callers keep its connection (a JVM-wide setting). */
    static void keepAlive(int connections) {
        System.setProperty("http.maxConnections", Integer.toString(connections));
    }

    HttpJson.Reply json(String method, String path, String token, Object body) throws IOException {
        HttpURLConnection http = (HttpURLConnection) URI.create(base + path).toURL().openConnection();
        http.setRequestMethod(method);
        http.setConnectTimeout(5_000);
        http.setReadTimeout(30_000);
        http.setRequestProperty("Content-Type", "application/json");
        http.setRequestProperty("Accept", "application/json");
        if (token != null) {
            http.setRequestProperty("Authorization", "Bearer " + token);
        }
        byte[] bytes = body == null ? NO_BODY : JSON.writeValueAsBytes(body);
        http.setDoOutput(true);
        http.setFixedLengthStreamingMode(bytes.length);
        try (OutputStream out = http.getOutputStream()) {
            out.write(bytes);
        }
        int status = http.getResponseCode();
        // Reading the body to its end (and closing the stream, not the connection) returns the connection for reuse.
        try (InputStream in = status >= 400 ? http.getErrorStream() : http.getInputStream()) {
            byte[] reply = in == null ? NO_BODY : in.readAllBytes();
            return new HttpJson.Reply(status, reply.length == 0 ? null : JSON.readTree(reply));
        }
    }
}
