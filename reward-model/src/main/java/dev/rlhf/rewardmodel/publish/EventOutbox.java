package dev.rlhf.rewardmodel.publish;

import dev.rlhf.events.EventCodec;
import dev.rlhf.events.RlhfEvent;
import dev.rlhf.events.Topic;
import dev.rlhf.events.kafka.EventPublisher;
import dev.rlhf.rewardmodel.config.KafkaSettings;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The worker's outgoing events: stored first (with their id), then sent by {@link #relay()} in order,
 * each marked sent once the broker acknowledged it. A failed send leaves the row for the next relay, which
 * resends the same bytes: consumers absorb the copy by event id.
 */
@ApplicationScoped
public class EventOutbox {

    private static final Logger LOG = Logger.getLogger(EventOutbox.class);
    private static final int BATCH = 500;

    private final AgroalDataSource dataSource;
    private final KafkaSettings kafka;
    private final EventCodec codec = new EventCodec();
    private volatile EventPublisher publisher;

    EventOutbox(AgroalDataSource dataSource, KafkaSettings kafka) {
        this.dataSource = dataSource;
        this.kafka = kafka;
    }

    /** Stores the events in one transaction; they are sent by the next {@link #relay()}. */
    public void add(List<? extends RlhfEvent> events) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement insert = c.prepareStatement(
                     "INSERT INTO outbox (event_id, topic, event_key, payload) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
            c.setAutoCommit(false);
            for (RlhfEvent event : events) {
                insert.setObject(1, event.id());
                insert.setString(2, event.topic().topicName());
                insert.setString(3, event.key());
                insert.setBytes(4, codec.encode(event));
                insert.addBatch();
            }
            insert.executeBatch();
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("storing " + events.size() + " outgoing events failed: " + e.getMessage(), e);
        }
    }

    /** Retries what earlier sends left behind (a broker outage). */
    @Scheduled(every = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void relayBacklog() {
        relay();
    }

    /** Sends unsent events in order; stops at the first failure (the rest waits, order is kept). */
    public synchronized int relay() {
        if (kafka.bootstrapServers().isEmpty()) {
            return 0;
        }
        int sent = 0;
        try (Connection c = dataSource.getConnection()) {
            while (true) {
                List<Object[]> rows = new ArrayList<>();
                try (PreparedStatement select = c.prepareStatement(
                        "SELECT seq, event_id, topic, event_key, payload FROM outbox WHERE sent_at IS NULL ORDER BY seq LIMIT " + BATCH);
                     ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        rows.add(new Object[] {rs.getLong(1), rs.getObject(2, UUID.class), rs.getString(3),
                                rs.getString(4), rs.getBytes(5)});
                    }
                }
                if (rows.isEmpty()) {
                    return sent;
                }
                List<java.util.concurrent.CompletableFuture<?>> sends = new ArrayList<>();
                for (Object[] row : rows) {
                    sends.add(publisher().publishEncoded(Topic.byName((String) row[2]), (String) row[3], (byte[]) row[4]));
                }
                long lastSent = -1;
                for (int i = 0; i < sends.size(); i++) {
                    try {
                        sends.get(i).get(2, TimeUnit.MINUTES);
                        lastSent = (long) rows.get(i)[0];
                    } catch (Exception e) {
                        LOG.warnf("sending event %s failed, retrying later: %s", rows.get(i)[1], e.getMessage());
                        break;
                    }
                }
                if (lastSent >= 0) {
                    try (PreparedStatement mark = c.prepareStatement(
                            "UPDATE outbox SET sent_at = now() WHERE sent_at IS NULL AND seq <= ?")) {
                        mark.setLong(1, lastSent);
                        sent += mark.executeUpdate();
                    }
                }
                if (lastSent != (long) rows.get(rows.size() - 1)[0]) {
                    return sent;
                }
            }
        } catch (SQLException e) {
            LOG.warnf("outbox relay failed, retrying later: %s", e.getMessage());
            return sent;
        }
    }

    /** Events stored but not yet acknowledged by the broker. */
    public long backlog() {
        try (Connection c = dataSource.getConnection();
             ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM outbox WHERE sent_at IS NULL")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("reading the outbox failed: " + e.getMessage(), e);
        }
    }

    private EventPublisher publisher() {
        if (publisher == null) {
            synchronized (this) {
                if (publisher == null) {
                    publisher = new EventPublisher(kafka.bootstrapServers().orElseThrow(), Map.of());
                }
            }
        }
        return publisher;
    }

    void close(@Observes ShutdownEvent shutdown) {
        if (publisher != null) {
            publisher.close();
        }
    }
}
