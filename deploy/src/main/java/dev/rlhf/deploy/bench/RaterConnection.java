package dev.rlhf.deploy.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * One rater's HTTP/1.1 connection for the ingest driver: a blocking socket kept alive, JSON POSTs written from
 * a prepared header block, replies read by {@code Content-Length} (or chunks). On a 2-core machine shared with the
 * system under test, every CPU-millisecond the driver spends is taken from the backend and PostgreSQL; this costs
 * about half of what {@link java.net.HttpURLConnection} did per call (bench/README.md, ingest), which spends most
 * of its time on URL parsing, header maps and its keep-alive cache. Not a general client: no TLS, no redirects,
 * no pipelining; anything it does not understand fails loudly.
 */
final class RaterConnection implements AutoCloseable {

    /** A reply: status and body bytes (empty for 204). */
    record Reply(int status, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private static final int TIMEOUT_MS = 30_000;

    private final InetSocketAddress address;
    private final String hostHeader;
    private final String bearer;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    RaterConnection(String baseUrl, String token) {
        URI uri = URI.create(baseUrl);
        if (!"http".equals(uri.getScheme())) {
            throw new IllegalArgumentException("the ingest driver speaks plain http only, not " + baseUrl);
        }
        int port = uri.getPort() == -1 ? 80 : uri.getPort();
        this.address = new InetSocketAddress(uri.getHost(), port);
        this.hostHeader = uri.getHost() + ":" + port;
        this.bearer = token;
    }

    /** POSTs a JSON body ({@code null}: none) and reads the whole reply. Reconnects once if the server had closed the connection. */
    Reply post(String path, String json) throws IOException {
        byte[] body = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
        byte[] head = ("POST " + path + " HTTP/1.1\r\nHost: " + hostHeader + "\r\nAuthorization: Bearer " + bearer
                + "\r\nContent-Type: application/json\r\nAccept: application/json\r\nContent-Length: " + body.length
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        boolean fresh = socket == null;
        try {
            return exchange(head, body);
        } catch (EOFException | java.net.SocketException stale) {
            if (fresh) {
                throw stale;
            }
            // An idle keep-alive connection the server closed: nothing of this request was processed.
            close();
            return exchange(head, body);
        }
    }

    private Reply exchange(byte[] head, byte[] body) throws IOException {
        if (socket == null) {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(address, 5_000);
            socket.setSoTimeout(TIMEOUT_MS);
            in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
            out = socket.getOutputStream();
        }
        byte[] request = new byte[head.length + body.length];
        System.arraycopy(head, 0, request, 0, head.length);
        System.arraycopy(body, 0, request, head.length, body.length);
        out.write(request);
        out.flush();
        return readReply();
    }

    private Reply readReply() throws IOException {
        String statusLine = line();
        if (!statusLine.startsWith("HTTP/1.1 ") || statusLine.length() < 12) {
            throw new IOException("not an HTTP/1.1 status line: " + statusLine);
        }
        int status = Integer.parseInt(statusLine.substring(9, 12));
        long length = -1;
        boolean chunked = false;
        boolean closing = false;
        for (String header = line(); !header.isEmpty(); header = line()) {
            int colon = header.indexOf(':');
            if (colon < 0) {
                throw new IOException("malformed header: " + header);
            }
            String name = header.substring(0, colon).trim();
            String value = header.substring(colon + 1).trim();
            if (name.equalsIgnoreCase("Content-Length")) {
                length = Long.parseLong(value);
            } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
                chunked = value.equalsIgnoreCase("chunked");
            } else if (name.equalsIgnoreCase("Connection")) {
                closing = value.equalsIgnoreCase("close");
            }
        }
        byte[] body;
        if (chunked) {
            body = chunks();
        } else if (length >= 0) {
            body = in.readNBytes((int) length);
            if (body.length != length) {
                throw new EOFException("reply body ended after " + body.length + " of " + length + " bytes");
            }
        } else if (status == 204 || status == 304) {
            body = new byte[0];
        } else {
            throw new IOException("reply " + status + " has neither Content-Length nor chunks");
        }
        if (closing) {
            close();
        }
        return new Reply(status, body);
    }

    private byte[] chunks() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (int size = Integer.parseInt(line().split(";", 2)[0].trim(), 16); size > 0;
             size = Integer.parseInt(line().split(";", 2)[0].trim(), 16)) {
            byte[] chunk = in.readNBytes(size);
            if (chunk.length != size) {
                throw new EOFException("chunk ended early");
            }
            body.write(chunk);
            line();
        }
        for (String trailer = line(); !trailer.isEmpty(); trailer = line()) {
            // trailers are not used
        }
        return body.toByteArray();
    }

    /** One header line without its CRLF (ASCII, as HTTP/1.1 headers are). */
    private String line() throws IOException {
        StringBuilder line = new StringBuilder(64);
        for (int b = in.read(); ; b = in.read()) {
            if (b < 0) {
                throw new EOFException("connection closed by the server");
            }
            if (b == '\n') {
                int end = line.length();
                return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
            }
            line.append((char) b);
        }
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing a connection we are done with
            }
            socket = null;
        }
    }
}
