package dev.rlhf.events.consume;

import dev.rlhf.events.EventCodec;
import dev.rlhf.events.JudgmentRecorded;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The judgment log as a reward-model worker would keep it: one row per event, keyed by event id.
 * Counts the events handed to it, so tests can tell a resumed consumer from one that re-read everything.
 */
class JudgmentTable extends JdbcMaterialiser<JudgmentRecorded> {

    private final DataSource dataSource;
    private final EventCodec codec = new EventCodec();
    final AtomicLong eventsApplied = new AtomicLong();

    JudgmentTable(DataSource dataSource) {
        super(dataSource, "judgment-log");
        this.dataSource = dataSource;
        try (Connection connection = dataSource.getConnection()) {
            connection.createStatement().execute("""
                    CREATE TABLE IF NOT EXISTS judgments (
                        event_id      uuid PRIMARY KEY,
                        judgment_id   uuid   NOT NULL,
                        task_id       uuid   NOT NULL,
                        outcome       text   NOT NULL,
                        source_offset bigint NOT NULL,
                        event         jsonb  NOT NULL)""");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    protected void insert(Connection connection, List<ConsumedEvent<JudgmentRecorded>> batch) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO judgments (event_id, judgment_id, task_id, outcome, source_offset, event)
                VALUES (?, ?, ?, ?, ?, ?::jsonb)
                ON CONFLICT (event_id) DO NOTHING""")) {
            for (ConsumedEvent<JudgmentRecorded> consumed : batch) {
                JudgmentRecorded event = consumed.event();
                insert.setObject(1, event.id());
                insert.setObject(2, event.payload().judgmentId());
                insert.setObject(3, event.payload().taskId());
                insert.setString(4, event.payload().outcome().name());
                insert.setLong(5, consumed.offset());
                insert.setString(6, new String(codec.encode(event), StandardCharsets.UTF_8));
                insert.addBatch();
            }
            insert.executeBatch();
        }
        eventsApplied.addAndGet(batch.size());
    }

    @Override
    protected void deleteAll(Connection connection) throws SQLException {
        connection.createStatement().execute("DELETE FROM judgments");
    }

    long count() {
        return queryLong("SELECT count(*) FROM judgments");
    }

    /** The sum of stored positions: how many records of the topic this materialisation has read. */
    long recordsRead() {
        return queryLong("SELECT coalesce(sum(next_offset), 0) FROM event_positions WHERE materialisation = 'judgment-log'");
    }

    /** Every row, in a stable order, as text: two equal snapshots are the same dataset. */
    List<String> snapshot() {
        List<String> rows = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             ResultSet rs = connection.createStatement().executeQuery(
                     "SELECT event_id, judgment_id, task_id, outcome, source_offset, event::text FROM judgments ORDER BY event_id")) {
            while (rs.next()) {
                rows.add(String.join("|", rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return rows;
    }

    List<String> eventIds() {
        List<String> ids = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             ResultSet rs = connection.createStatement().executeQuery("SELECT event_id FROM judgments ORDER BY 1")) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return ids;
    }

    void drop() {
        try (Connection connection = dataSource.getConnection()) {
            connection.createStatement().execute("DROP TABLE IF EXISTS judgments; DROP TABLE IF EXISTS event_positions");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private long queryLong(String sql) {
        try (Connection connection = dataSource.getConnection();
             ResultSet rs = connection.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
