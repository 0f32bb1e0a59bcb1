package dev.rlhf.backend.outbox;

import dev.rlhf.backend.support.Api;
import dev.rlhf.backend.support.KafkaResource;
import dev.rlhf.events.EventCodec;
import dev.rlhf.events.JudgmentRecorded;
import dev.rlhf.events.Topic;
import dev.rlhf.events.consume.ConsumedEvent;
import dev.rlhf.events.consume.JdbcMaterialiser;
import dev.rlhf.events.consume.MaterialisingConsumer;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.rlhf.backend.support.Api.as;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The judgment stream end to end, with a real broker and PostgreSQL: submit through the API, publish
 * through the outbox relay, materialise with the events consumer library.
 */
@QuarkusTest
class JudgmentStreamTest {

    private static MaterialisingConsumer<JudgmentRecorded> consumer;

    @Inject
    DataSource dataSource;

    /** The consumer under test writes into its own table of the same database. */
    static final class StreamedJudgments extends JdbcMaterialiser<JudgmentRecorded> {
        StreamedJudgments(DataSource dataSource) {
            super(dataSource, "backend-test.streamed-judgments");
        }

        @Override
        protected void insert(Connection connection, List<ConsumedEvent<JudgmentRecorded>> batch) throws SQLException {
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO streamed_judgment (event_id, judgment_id, campaign_id) VALUES (?, ?, ?)
                    ON CONFLICT (event_id) DO NOTHING""")) {
                for (ConsumedEvent<JudgmentRecorded> consumed : batch) {
                    insert.setObject(1, consumed.event().id());
                    insert.setObject(2, consumed.event().payload().judgmentId());
                    insert.setObject(3, consumed.event().payload().campaignId());
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        }

        @Override
        protected void deleteAll(Connection connection) throws SQLException {
            connection.createStatement().execute("DELETE FROM streamed_judgment");
        }
    }

    private synchronized void startConsumer() throws SQLException {
        if (consumer != null) {
            return;
        }
        try (Connection c = dataSource.getConnection()) {
            c.createStatement().execute("""
                    CREATE TABLE IF NOT EXISTS streamed_judgment (
                        event_id uuid PRIMARY KEY, judgment_id uuid NOT NULL, campaign_id uuid NOT NULL)""");
        }
        consumer = new MaterialisingConsumer<>(KafkaResource.broker().bootstrapServers(), "backend-test-" + UUID.randomUUID(),
                Topic.JUDGMENTS, JudgmentRecorded.class, new StreamedJudgments(dataSource));
        consumer.start();
    }

    @AfterAll
    static void stopConsumer() {
        if (consumer != null) {
            consumer.close();
            consumer = null;
        }
    }

    @Test
    void aBrokerOutageDuring2000SubmitsLosesNoJudgmentAndCountsNoneTwice() throws Exception {
        startConsumer();
        String researcher = Api.user("researcher", "researcher");
        String campaign = Api.activeCampaign(researcher, 1, 2000, Api.choiceOnlyForm());
        List<String> raters = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            raters.add(Api.user("rater", "rater"));
        }
        KafkaResource.broker().stop();
        try {
            assertThat(judgeEverything(raters, campaign)).isEqualTo(2000);
            await("the outbox backlog metric to show the waiting judgments", Duration.ofSeconds(30),
                    () -> backlogMetric() >= 2000);
        } finally {
            KafkaResource.broker().start();
        }
        await("2,000 judgments to be materialised", Duration.ofSeconds(180), () -> streamed(campaign) >= 2000);
        Thread.sleep(2000); // anything extra would arrive now
        assertThat(streamed(campaign)).isEqualTo(2000);
        assertThat(distinctStreamedJudgments(campaign)).isEqualTo(storedJudgments(campaign)).hasSize(2000);
        await("the backlog to drain", Duration.ofSeconds(30), () -> backlogMetric() == 0);
    }

    @Test
    void aRelayCrashBetweenSendAndMarkSentPutsDuplicatesOnTheWireThatTheConsumerAbsorbs() throws Exception {
        startConsumer();
        String researcher = Api.user("researcher", "researcher");
        String campaign = Api.activeCampaign(researcher, 1, 40, Api.choiceOnlyForm());
        assertThat(judgeEverything(List.of(Api.user("rater", "rater"), Api.user("rater", "rater")), campaign)).isEqualTo(40);
        await("40 judgments to be materialised", Duration.ofSeconds(60), () -> streamed(campaign) == 40);

        // A relay that crashed after Kafka acknowledged these rows but before it marked them leaves them
        // unsent in the outbox: exactly this state. The relay sends them again.
        try (Connection c = dataSource.getConnection(); PreparedStatement unmark = c.prepareStatement("""
                UPDATE outbox SET sent_at = NULL WHERE event_key IN (
                    SELECT task_id::text FROM judgment WHERE campaign_id = ?)""")) {
            unmark.setObject(1, UUID.fromString(campaign));
            assertThat(unmark.executeUpdate()).isEqualTo(40);
        }
        await("the resent rows to be marked sent", Duration.ofSeconds(60), () -> unsentRows(campaign) == 0);
        await("both copies of every event to be on the wire", Duration.ofSeconds(60),
                () -> recordsOnTheWire(campaign) == 80);
        Thread.sleep(1500);
        assertThat(streamed(campaign)).isEqualTo(40);
        assertThat(distinctStreamedJudgments(campaign)).isEqualTo(storedJudgments(campaign));
    }

    /** Raters judge until the queue is empty, in parallel; returns how many judgments were acknowledged. */
    private static int judgeEverything(List<String> raters, String campaign) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(raters.size());
        try {
            List<Future<Integer>> counts = new ArrayList<>();
            for (String rater : raters) {
                counts.add(pool.submit(() -> {
                    int judged = 0;
                    while (true) {
                        var task = as(rater).post("/api/rater/campaigns/" + campaign + "/next");
                        if (task.statusCode() == 204) {
                            return judged;
                        }
                        as(rater).body(Map.of("idempotencyKey", UUID.randomUUID().toString(), "choice", "B"))
                                .post("/api/rater/assignments/" + task.path("assignmentId") + "/judgment")
                                .then().statusCode(200);
                        judged++;
                    }
                }));
            }
            int total = 0;
            for (Future<Integer> count : counts) {
                total += count.get();
            }
            return total;
        } finally {
            pool.shutdownNow();
        }
    }

    private long streamed(String campaign) throws SQLException {
        return count("SELECT count(*) FROM streamed_judgment WHERE campaign_id = ?", campaign);
    }

    private long unsentRows(String campaign) throws SQLException {
        return count("SELECT count(*) FROM outbox WHERE sent_at IS NULL AND event_key IN "
                + "(SELECT task_id::text FROM judgment WHERE campaign_id = ?)", campaign);
    }

    private Set<UUID> distinctStreamedJudgments(String campaign) throws SQLException {
        return ids("SELECT DISTINCT judgment_id FROM streamed_judgment WHERE campaign_id = ?", campaign);
    }

    private Set<UUID> storedJudgments(String campaign) throws SQLException {
        return ids("SELECT id FROM judgment WHERE campaign_id = ?", campaign);
    }

    private long count(String sql, String campaign) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(sql)) {
            q.setObject(1, UUID.fromString(campaign));
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private Set<UUID> ids(String sql, String campaign) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(sql)) {
            q.setObject(1, UUID.fromString(campaign));
            Set<UUID> ids = new HashSet<>();
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getObject(1, UUID.class));
                }
            }
            return ids;
        }
    }

    /** Every record of this campaign on the judgments topic, duplicates included, read with a plain consumer. */
    private static long recordsOnTheWire(String campaign) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaResource.broker().bootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "wire-count-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        EventCodec codec = new EventCodec();
        UUID campaignId = UUID.fromString(campaign);
        long count = 0;
        try (KafkaConsumer<String, byte[]> wire = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            wire.subscribe(List.of(Topic.JUDGMENTS.topicName()));
            Instant quietSince = Instant.now();
            while (Duration.between(quietSince, Instant.now()).toSeconds() < 3) {
                var records = wire.poll(Duration.ofMillis(500));
                if (!records.isEmpty()) {
                    quietSince = Instant.now();
                }
                for (ConsumerRecord<String, byte[]> record : records) {
                    if (codec.decode(record.value(), JudgmentRecorded.class).payload().campaignId().equals(campaignId)) {
                        count++;
                    }
                }
            }
        }
        return count;
    }

    private static double backlogMetric() {
        String metrics = RestAssured.get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines().filter(l -> l.startsWith("rlhf_outbox_backlog "))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.indexOf(' ') + 1))).findFirst().orElse(-1);
    }

    @FunctionalInterface
    interface Condition {
        boolean holds() throws Exception;
    }

    private static void await(String what, Duration timeout, Condition condition) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        while (!condition.holds()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            Thread.sleep(200);
        }
    }
}
