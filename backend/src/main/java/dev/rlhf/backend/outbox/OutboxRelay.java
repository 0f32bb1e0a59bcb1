package dev.rlhf.backend.outbox;

import dev.rlhf.backend.config.KafkaSettings;
import dev.rlhf.backend.config.RlhfConfig;
import dev.rlhf.events.Topic;
import dev.rlhf.events.kafka.EventPublisher;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.jboss.logging.Logger;
import org.postgresql.PGStatement;

import javax.sql.DataSource;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Publishes outbox rows to Kafka in id order, continuously, and marks them sent once the broker has
 * acknowledged them ({@code acks=all}, idempotent producer). Rows are marked only up to the first failure,
 * so a failure or a crash between send and mark leads to resending (duplicates the consumers absorb by
 * event id), never to a gap. One relay runs per database: a session advisory lock elects it.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    /** Arbitrary constant naming the relay's advisory lock. */
    private static final long RELAY_LOCK = 0x726c6866_6f757462L;

    private final DataSource dataSource;
    private final KafkaSettings kafka;
    private final RlhfConfig.Outbox settings;
    private final Counter published;
    private final Timer publishLag;
    private volatile boolean running;
    private Thread thread;

    OutboxRelay(DataSource dataSource, KafkaSettings kafka, RlhfConfig config, MeterRegistry metrics) {
        this.dataSource = dataSource;
        this.kafka = kafka;
        this.settings = config.outbox();
        this.published = Counter.builder("rlhf.outbox.published").description("events acknowledged by Kafka").register(metrics);
        this.publishLag = Timer.builder("rlhf.outbox.publish.lag")
                .description("from the event's transaction to Kafka's acknowledgement")
                .publishPercentiles(0.5, 0.99).register(metrics);
    }

    void start(@Observes StartupEvent event) {
        if (kafka.bootstrapServers().isEmpty()) {
            LOG.warn("kafka.bootstrap.servers is not set: judgments wait in the outbox until a broker is configured");
            return;
        }
        running = true;
        thread = new Thread(this::run, "outbox-relay");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        if (thread != null) {
            // Let the current batch finish and the producer close cleanly; interrupt only a relay
            // stuck waiting on an unreachable broker (its rows stay unsent and are resent next start).
            thread.join(5_000);
            if (thread.isAlive()) {
                thread.interrupt();
                thread.join(5_000);
            }
        }
    }

    private void run() {
        try (EventPublisher publisher = new EventPublisher(kafka.bootstrapServers().orElseThrow(),
                Map.of(ProducerConfig.COMPRESSION_TYPE_CONFIG, settings.compression()))) {
            while (running) {
                try (Connection connection = dataSource.getConnection()) {
                    connection.setAutoCommit(true);
                    if (!holdsRelayLock(connection)) {
                        sleep(Duration.ofSeconds(5));
                        continue;
                    }
                    LOG.info("outbox relay publishing to " + kafka.bootstrapServers().orElseThrow());
                    try {
                        relayWhileRunning(connection, publisher);
                    } finally {
                        // The connection goes back to the pool: it must not keep the relay's lock with it.
                        release(connection);
                    }
                } catch (SQLException | RuntimeException e) {
                    if (running) {
                        LOG.warnf("outbox relay: %s; retrying in %s", e.getMessage(), settings.retryBackoff());
                        sleep(settings.retryBackoff());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void relayWhileRunning(Connection connection, EventPublisher publisher) throws SQLException, InterruptedException {
        Instant nextHousekeeping = Instant.EPOCH;
        while (running) {
            if (Instant.now().isAfter(nextHousekeeping)) {
                deleteOldSentRows(connection);
                nextHousekeeping = Instant.now().plusSeconds(60);
            }
            try {
                // A batch that was not full took everything there was: let the next one gather rows for a
                // moment, since each round (a read, a produce request per partition, a mark-sent) costs the
                // same whether it carries 2 events or 200.
                if (publishBatch(connection, publisher) < settings.batchSize()) {
                    sleep(settings.idlePoll());
                }
            } catch (ExecutionException e) {
                LOG.warnf("outbox relay: Kafka refused a batch (%s); the backlog stays in the outbox and is retried",
                        e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
                sleep(settings.retryBackoff());
            }
        }
    }

    private record Row(long id, Topic topic, String key, byte[] payload, Instant createdAt) {
    }

    /** Publishes the oldest unsent rows; returns how many were marked sent. */
    int publishBatch(Connection connection, EventPublisher publisher) throws SQLException, InterruptedException, ExecutionException {
        List<Row> rows = unsent(connection);
        if (rows.isEmpty()) {
            return 0;
        }
        List<CompletableFuture<RecordMetadata>> acks = new ArrayList<>(rows.size());
        for (Row row : rows) {
            acks.add(publisher.publishEncoded(row.topic(), row.key(), row.payload()));
        }
        List<Long> sent = new ArrayList<>(rows.size());
        ExecutionException failure = null;
        for (int i = 0; i < rows.size() && failure == null; i++) {
            try {
                acks.get(i).get();
                sent.add(rows.get(i).id());
                publishLag.record(Duration.between(rows.get(i).createdAt(), Instant.now()));
            } catch (ExecutionException e) {
                failure = e;
            }
        }
        markSent(connection, sent);
        published.increment(sent.size());
        if (failure != null) {
            throw failure;
        }
        return sent.size();
    }

    private List<Row> unsent(Connection connection) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT id, topic, event_key, payload, created_at FROM outbox WHERE sent_at IS NULL ORDER BY id LIMIT ?")) {
            query.setInt(1, settings.batchSize());
            List<Row> rows = new ArrayList<>();
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(rs.getLong(1), Topic.byName(rs.getString(2)), rs.getString(3), rs.getBytes(4),
                            rs.getTimestamp(5).toInstant()));
                }
            }
            return rows;
        }
    }

    static void markSent(Connection connection, List<Long> ids) throws SQLException {
        if (ids.isEmpty()) {
            return;
        }
        // The mark does not wait for the disk (synchronous_commit off for this statement's transaction): a mark lost
        // in a database crash only means those rows are published again, and consumers drop repeats by event id.
        try (PreparedStatement update = connection.prepareStatement("""
                UPDATE outbox SET sent_at = now()
                FROM (SELECT set_config('synchronous_commit', 'off', true)) AS no_flush
                WHERE id = ANY (?)""")) {
            // Planned afresh on every call. The relay starts with the platform, when the outbox is nearly empty, and a
            // plan PostgreSQL cached then (a sequential scan) stayed in use as the table grew: 3,000 buffers and
            // 5-20 ms per mark at 10,000 rows. Planning an unnamed statement costs ~0.05 ms, once per batch.
            update.unwrap(PGStatement.class).setPrepareThreshold(0);
            Array array = connection.createArrayOf("bigint", ids.toArray());
            update.setArray(1, array);
            update.executeUpdate();
        }
    }

    private static boolean holdsRelayLock(Connection connection) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            lock.setLong(1, RELAY_LOCK);
            try (ResultSet rs = lock.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    private static void release(Connection connection) {
        try (PreparedStatement unlock = connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
            unlock.setLong(1, RELAY_LOCK);
            unlock.execute();
        } catch (SQLException e) {
            LOG.debugf("outbox relay: could not release its lock (%s); the connection is closing anyway", e.getMessage());
        }
    }

    private void deleteOldSentRows(Connection connection) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(
                "DELETE FROM outbox WHERE sent_at < ?")) {
            delete.setTimestamp(1, Timestamp.from(Instant.now().minus(settings.keepSent())));
            delete.executeUpdate();
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
