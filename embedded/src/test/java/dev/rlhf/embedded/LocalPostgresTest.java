package dev.rlhf.embedded;

import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalPostgresTest {

    @Test
    void startsARealPostgres16WithTheProjectDatabase() throws Exception {
        try (LocalPostgres pg = LocalPostgres.startEphemeral();
             Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.username(), pg.password());
             ResultSet rs = c.createStatement().executeQuery("SELECT current_database(), current_setting('server_version_num')::int")) {
            assertTrue(rs.next());
            assertEquals(LocalPostgres.DATABASE, rs.getString(1));
            assertTrue(rs.getInt(2) >= 160000, "server version " + rs.getInt(2));
        }
    }

    @Test
    void appliesExtraServerSettingsSuchAsPgStatStatements() throws Exception {
        try (LocalPostgres pg = LocalPostgres.start(null, 0,
                Map.of("shared_preload_libraries", "pg_stat_statements", "pg_stat_statements.track", "all"));
             Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.username(), pg.password());
             Statement s = c.createStatement()) {
            s.execute("CREATE EXTENSION pg_stat_statements");
            s.execute("SELECT 'counted' AS probe");
            try (ResultSet rs = s.executeQuery("SELECT current_setting('pg_stat_statements.track'), "
                    + "(SELECT sum(calls) FROM pg_stat_statements WHERE query LIKE '%probe%')")) {
                assertTrue(rs.next());
                assertEquals("all", rs.getString(1));
                assertTrue(rs.getLong(2) >= 1, "calls of the probe statement: " + rs.getLong(2));
            }
        }
    }

    @Test
    void aSettingThePostgresServerDoesNotKnowStopsTheStartWithItsName() {
        IllegalStateException failure = assertThrows(IllegalStateException.class,
                () -> LocalPostgres.start(null, 0, Map.of("no_such_setting", "1")).close());
        assertTrue(failure.getMessage().contains("no_such_setting"), failure.getMessage());
    }
}
