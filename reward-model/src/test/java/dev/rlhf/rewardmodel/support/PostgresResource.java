package dev.rlhf.rewardmodel.support;

import dev.rlhf.embedded.LocalPostgres;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/** A real PostgreSQL (embedded binaries) for the whole test run. */
public class PostgresResource implements QuarkusTestResourceLifecycleManager {

    private static LocalPostgres postgres;

    /** The running server, for tests that read the worker's tables directly. */
    public static LocalPostgres server() {
        return postgres;
    }

    @Override
    public Map<String, String> start() {
        postgres = LocalPostgres.startEphemeral();
        return Map.of(
                "quarkus.datasource.jdbc.url", postgres.jdbcUrl(),
                "quarkus.datasource.username", postgres.username(),
                "quarkus.datasource.password", postgres.password());
    }

    @Override
    public void stop() {
        if (postgres != null) {
            postgres.close();
        }
    }
}
