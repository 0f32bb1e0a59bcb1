package dev.rlhf.embedded;

import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
}
