package dev.rlhf.events.consume;

import dev.rlhf.events.JudgmentRecorded;
import dev.rlhf.events.Topic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.postgresql.ds.PGSimpleDataSource;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * A worker in a process of its own, for a test to kill with SIGKILL in the middle of a write.
 *
 * <p>Arguments: bootstrap servers, group id, JDBC URL, user, password, and the number of events
 * after which it stops inside a write transaction (rows inserted, not committed), prints
 * {@value #IN_THE_MIDDLE_OF_A_WRITE} and waits to be killed.
 */
public final class ConsumerProcess {

    static final String IN_THE_MIDDLE_OF_A_WRITE = "in the middle of a write";

    public static void main(String[] args) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(args[2]);
        dataSource.setUser(args[3]);
        dataSource.setPassword(args[4]);
        long pauseAfter = Long.parseLong(args[5]);
        JudgmentTable table = new JudgmentTable(dataSource) {
            @Override
            protected void insert(Connection connection, List<ConsumedEvent<JudgmentRecorded>> batch)
                    throws SQLException {
                super.insert(connection, batch);
                if (eventsApplied.get() > pauseAfter) {
                    System.out.println(IN_THE_MIDDLE_OF_A_WRITE);
                    System.out.flush();
                    sleepForever();
                }
            }
        };
        new MaterialisingConsumer<>(args[0], args[1], Topic.JUDGMENTS, JudgmentRecorded.class, table,
                Map.of(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 100)).start();
    }

    private static void sleepForever() {
        try {
            Thread.sleep(Long.MAX_VALUE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
