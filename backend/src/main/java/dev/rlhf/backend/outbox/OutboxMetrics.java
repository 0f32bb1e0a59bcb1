package dev.rlhf.backend.outbox;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;

/**
 * The outbox as operators watch it: how many events wait and how old the oldest is. Read from the table
 * when scraped, so the numbers hold even while the relay is stuck on an unreachable broker.
 */
@Startup
@ApplicationScoped
public class OutboxMetrics {

    private static final Logger LOG = Logger.getLogger(OutboxMetrics.class);

    private final DataSource dataSource;

    OutboxMetrics(DataSource dataSource, MeterRegistry metrics) {
        this.dataSource = dataSource;
        Gauge.builder("rlhf.outbox.backlog", this, m -> m.query(false))
                .description("events written but not yet acknowledged by Kafka").register(metrics);
        Gauge.builder("rlhf.outbox.oldest.unsent.age.seconds", this, m -> m.query(true))
                .description("age of the oldest event waiting in the outbox (0 when empty)").register(metrics);
    }

    private double query(boolean oldestAge) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*), min(created_at) FROM outbox WHERE sent_at IS NULL")) {
            rs.next();
            if (!oldestAge) {
                return rs.getLong(1);
            }
            Timestamp oldest = rs.getTimestamp(2);
            return oldest == null ? 0 : Duration.between(oldest.toInstant(), Instant.now()).toMillis() / 1000.0;
        } catch (SQLException e) {
            LOG.debugf("outbox metrics unavailable: %s", e.getMessage());
            return Double.NaN;
        }
    }
}
