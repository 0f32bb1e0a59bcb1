package dev.rlhf.events.consume;

import dev.rlhf.events.RlhfEvent;
import org.apache.kafka.common.TopicPartition;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link Materialiser} into PostgreSQL: subclasses write rows, this class wraps them in one
 * transaction with the positions, kept in {@code event_positions} under the materialisation's name
 * (so several materialisations can share a database).
 *
 * <p>The idempotence contract for {@link #insert}: key rows by event id, for example
 * {@code INSERT ... ON CONFLICT (event_id) DO NOTHING} in PostgreSQL.
 */
public abstract class JdbcMaterialiser<E extends RlhfEvent> implements Materialiser<E> {

    private final DataSource dataSource;
    private final String materialisation;

    protected JdbcMaterialiser(DataSource dataSource, String materialisation) {
        this.dataSource = dataSource;
        this.materialisation = materialisation;
        inTransaction(connection -> connection.createStatement().execute("""
                CREATE TABLE IF NOT EXISTS event_positions (
                    materialisation text   NOT NULL,
                    topic           text   NOT NULL,
                    partition_id    int    NOT NULL,
                    next_offset     bigint NOT NULL,
                    PRIMARY KEY (materialisation, topic, partition_id))"""));
    }

    /** Writes the batch's rows, skipping events already written. Runs inside the write's transaction. */
    protected abstract void insert(Connection connection, List<ConsumedEvent<E>> batch) throws SQLException;

    /** Deletes every row this materialisation wrote. Runs inside the rebuild's transaction. */
    protected abstract void deleteAll(Connection connection) throws SQLException;

    @Override
    public Map<TopicPartition, Long> storedPositions(Collection<TopicPartition> partitions) {
        Map<TopicPartition, Long> stored = new HashMap<>();
        inTransaction(connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT topic, partition_id, next_offset FROM event_positions WHERE materialisation = ?")) {
                select.setString(1, materialisation);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        TopicPartition partition = new TopicPartition(rows.getString(1), rows.getInt(2));
                        if (partitions.contains(partition)) {
                            stored.put(partition, rows.getLong(3));
                        }
                    }
                }
            }
        });
        return stored;
    }

    @Override
    public void write(List<ConsumedEvent<E>> batch, Map<TopicPartition, Long> positionsAfter) {
        inTransaction(connection -> {
            // The offset is committed to Kafka once this returns: the rows must be on disk by then,
            // whatever the server's default (a tuned-for-speed server may run with it off).
            connection.createStatement().execute("SET LOCAL synchronous_commit TO on");
            insert(connection, batch);
            try (PreparedStatement upsert = connection.prepareStatement("""
                    INSERT INTO event_positions (materialisation, topic, partition_id, next_offset)
                    VALUES (?, ?, ?, ?)
                    ON CONFLICT (materialisation, topic, partition_id) DO UPDATE SET next_offset = EXCLUDED.next_offset""")) {
                for (Map.Entry<TopicPartition, Long> position : positionsAfter.entrySet()) {
                    upsert.setString(1, materialisation);
                    upsert.setString(2, position.getKey().topic());
                    upsert.setInt(3, position.getKey().partition());
                    upsert.setLong(4, position.getValue());
                    upsert.addBatch();
                }
                upsert.executeBatch();
            }
        });
    }

    @Override
    public void clear() {
        inTransaction(connection -> {
            deleteAll(connection);
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM event_positions WHERE materialisation = ?")) {
                delete.setString(1, materialisation);
                delete.executeUpdate();
            }
        });
    }

    private interface SqlWork {
        void run(Connection connection) throws SQLException;
    }

    private void inTransaction(SqlWork work) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                work.run(connection);
                connection.commit();
            } catch (SQLException | RuntimeException | Error e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("materialisation " + materialisation + " failed: " + e.getMessage(), e);
        }
    }
}
