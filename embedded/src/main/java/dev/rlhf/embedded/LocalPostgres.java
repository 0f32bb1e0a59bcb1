package dev.rlhf.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;

/**
 * A real PostgreSQL server started from the embedded binaries on Maven Central.
 *
 * <p>Used by {@code ./rlhf up} when no external database is configured, and by every test that
 * needs a database. With a data directory the cluster survives restarts; without one it lives in a
 * temporary folder that is removed on {@link #close()}.
 */
public final class LocalPostgres implements AutoCloseable {

    public static final String DATABASE = "rlhf";
    public static final String USER = "postgres";

    private final EmbeddedPostgres server;

    private LocalPostgres(EmbeddedPostgres server) {
        this.server = server;
    }

    /** Starts a throw-away server on a free port. */
    public static LocalPostgres startEphemeral() {
        return start(null, 0);
    }

    /**
     * Starts a server.
     *
     * @param dataDirectory where the cluster lives (kept between runs), or null for a temporary one
     * @param port the port to listen on, or 0 for a free one
     */
    public static LocalPostgres start(Path dataDirectory, int port) {
        return start(dataDirectory, port, Map.of());
    }

    /**
     * Starts a server with extra server settings ({@code postgres -c name=value}), applied after the defaults
     * above: diagnostics such as {@code shared_preload_libraries=pg_stat_statements}, or tuning.
     */
    public static LocalPostgres start(Path dataDirectory, int port, Map<String, String> settings) {
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setServerConfig("max_connections", "200")
                    .setServerConfig("fsync", dataDirectory == null ? "off" : "on")
                    .setServerConfig("synchronous_commit", dataDirectory == null ? "off" : "on");
            settings.forEach(builder::setServerConfig);
            if (dataDirectory != null) {
                Files.createDirectories(dataDirectory);
                builder.setDataDirectory(dataDirectory).setCleanDataDirectory(false);
            }
            if (port > 0) {
                builder.setPort(port);
            }
            LocalPostgres postgres = new LocalPostgres(started(builder, settings));
            postgres.createDatabaseIfMissing();
            return postgres;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded PostgreSQL: " + e.getMessage(), e);
        }
    }

    /** The server, or a failure that names the extra settings (a misspelt one is the likely cause). */
    private static EmbeddedPostgres started(EmbeddedPostgres.Builder builder, Map<String, String> settings) throws IOException {
        try {
            return builder.start();
        } catch (IOException | RuntimeException e) {
            if (settings.isEmpty()) {
                throw e;
            }
            throw new IllegalStateException("could not start the embedded PostgreSQL with the settings " + settings
                    + " (is each a PostgreSQL server setting?): " + e.getMessage(), e);
        }
    }

    private void createDatabaseIfMissing() {
        try (Connection c = server.getPostgresDatabase().getConnection();
             ResultSet rs = c.createStatement().executeQuery(
                     "SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
            if (!rs.next()) {
                c.createStatement().execute("CREATE DATABASE " + DATABASE);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + DATABASE + ": " + e.getMessage(), e);
        }
    }

    public int port() {
        return server.getPort();
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port() + "/" + DATABASE;
    }

    public String username() {
        return USER;
    }

    /** The embedded cluster trusts local connections; any password is accepted. */
    public String password() {
        return "postgres";
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
