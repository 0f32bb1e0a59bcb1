package dev.rlhf.backend.outbox;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The relay's mark-sent is planned on every call, never from a plan the session cached. The relay keeps one connection
 * for as long as the platform runs, and starts when the outbox is nearly empty: the plan PostgreSQL cached then
 * (a sequential scan of the outbox) stayed in use while the table grew, 3,000 buffers and 5-20 ms per mark at 10,000
 * rows (bench/README.md, ingest).
 */
@QuarkusTest
class MarkSentPlanTest {

    @Inject
    DataSource database;

    @Test
    void marksTheGivenRowsAndLeavesNoCachedPlanBehindOnItsConnection() throws Exception {
        try (Connection connection = database.getConnection()) {
            connection.setAutoCommit(true);
            // Rows marked an hour ago: the running relay only reads unsent rows, so it leaves these alone.
            List<Long> ids = sentRows(connection, 3);
            // pgjdbc names a statement on the server from its fifth execution; the server may then keep one plan for it.
            for (int i = 0; i < 8; i++) {
                OutboxRelay.markSent(connection, ids);
            }
            assertThat(markedNow(connection, ids)).isEqualTo(3);
            try (ResultSet rs = connection.createStatement().executeQuery(
                    "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE '%UPDATE outbox SET sent_at%'")) {
                rs.next();
                assertThat(rs.getInt(1)).as("mark-sent statements prepared on the relay's session").isZero();
            }
            try (Statement delete = connection.createStatement()) {
                delete.execute("DELETE FROM outbox WHERE id IN (" + ids.get(0) + ", " + ids.get(1) + ", " + ids.get(2) + ")");
            }
        }
    }

    private static List<Long> sentRows(Connection connection, int count) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO outbox (event_id, topic, event_key, payload, sent_at)
                VALUES (?, 'rlhf.judgments', 'mark-sent-test', '\\x00', now() - interval '1 hour') RETURNING id""")) {
            for (int i = 0; i < count; i++) {
                insert.setObject(1, UUID.randomUUID());
                try (ResultSet rs = insert.executeQuery()) {
                    rs.next();
                    ids.add(rs.getLong(1));
                }
            }
        }
        return ids;
    }

    private static int markedNow(Connection connection, List<Long> ids) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT count(*) FROM outbox WHERE id = ANY (?) AND sent_at > now() - interval '1 minute'")) {
            query.setArray(1, connection.createArrayOf("bigint", ids.toArray()));
            try (ResultSet rs = query.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
