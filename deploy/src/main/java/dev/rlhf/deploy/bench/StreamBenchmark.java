package dev.rlhf.deploy.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rlhf.embedded.LocalPostgres;
import dev.rlhf.events.JudgmentRecorded;
import dev.rlhf.events.Topic;
import dev.rlhf.events.consume.ConsumedEvent;
import dev.rlhf.events.consume.JdbcMaterialiser;
import dev.rlhf.events.consume.MaterialisingConsumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * End-to-end stream latency: judgments submitted through the backend's HTTP API at a steady rate
 * (open loop: a submit is due every 1/rate s whatever the earlier ones are doing), and a worker-style
 * consumer ({@link MaterialisingConsumer} + {@link JdbcMaterialiser}) that writes each judgment into
 * its own PostgreSQL. Latency of a judgment = the moment its write transaction committed (durable:
 * fsync on, synchronous_commit on) minus the moment the submit's HTTP 200 arrived, matched by judgment
 * id; both clocks are this JVM's {@link System#nanoTime()}.
 */
@Command(name = "stream-load", description = "Submit judgments at a steady rate and time them to a consumer's durable write.")
public final class StreamBenchmark implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--url", required = true, description = "The backend, e.g. http://localhost:18282")
    String url;

    @Option(names = "--admin-password", required = true)
    String adminPassword;

    @Option(names = "--bootstrap-servers", required = true, description = "The Kafka cluster the backend publishes to.")
    String bootstrapServers;

    @Option(names = "--rate", defaultValue = "200", description = "Submits per second (default ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--seconds", defaultValue = "30", description = "Measured seconds (default ${DEFAULT-VALUE}).")
    int seconds;

    /**
     * 20 s by default: after 5 s the JIT compilers still took a quarter of the backend's CPU in the measured window,
     * on a machine the load already keeps near full, which put the stream's p99 at 240–530 ms instead of 90–150 ms
     * (bench/README.md). The steady state is what the stream runs in for months; {@code --warmup-seconds 5} shows the
     * cold start.
     */
    @Option(names = "--warmup-seconds", defaultValue = "20", description = "Seconds at the same rate before measuring; counted for lost, not for latency (default ${DEFAULT-VALUE}).")
    int warmupSeconds;

    @Option(names = "--raters", defaultValue = "120", description = "Rater accounts submitting (default ${DEFAULT-VALUE}).")
    int raters;

    @Option(names = "--drain-timeout-seconds", defaultValue = "120", description = "How long to wait for the stream to drain (default ${DEFAULT-VALUE}).")
    int drainTimeoutSeconds;

    /** Receipt time (nanoTime) of every acknowledged judgment. */
    private final Map<UUID, Long> acknowledgedAt = new ConcurrentHashMap<>();
    /** Time (nanoTime) the judgment's row was durable, first copy only. */
    private final Map<UUID, Long> durableAt = new ConcurrentHashMap<>();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicInteger submitFailures = new AtomicInteger();
    /** Round-trip times (ns) of the HTTP calls, to tell a slow backend from a slow stream. */
    private final java.util.Queue<Long> submitNanos = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final java.util.Queue<Long> nextNanos = new java.util.concurrent.ConcurrentLinkedQueue<>();
    /** Duration (ns) of each consumer write transaction, and its batch size: the consumer's share of the latency. */
    private final java.util.Queue<Long> writeNanos = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final AtomicLong batches = new AtomicLong();
    /** Judgments of the measured submits (those after the warm-up's count), in the order they were due. */
    private final java.util.Set<UUID> measured = ConcurrentHashMap.newKeySet();
    /** Released when the consumer has its partitions: submitting earlier would time the group's join. */
    private final java.util.concurrent.CountDownLatch assigned = new java.util.concurrent.CountDownLatch(1);

    /**
     * {@code assignment[0]} is the leased task, {@code assignment[1]} the idempotency key of its judgment: kept
     * when a submit fails (timeout, 5xx) and the same lease comes back, so the retry is a replay, as a real
     * client's would be, not a second judgment.
     */
    private record Rater(RaterConnection http, String[] assignment) {
    }

    @Override
    public Integer call() throws Exception {
        HttpJson http = new HttpJson(url);
        String admin = http.expect(200, "POST", "/api/auth/login", null,
                Map.of("username", "admin", "password", adminPassword)).get("token").asText();
        int total = rate * (warmupSeconds + seconds);
        String campaign = BenchCampaign.create(http, admin, "stream benchmark", 1, total + total / 5 + raters * 2);
        List<Rater> team = new ArrayList<>();
        for (int i = 0; i < raters; i++) {
            String name = "stream-" + UUID.randomUUID().toString().substring(0, 8);
            http.expect(201, "POST", "/api/users", admin, Map.of("username", name, "password", "bench-password", "roles", List.of("rater")));
            String token = http.expect(200, "POST", "/api/auth/login", null,
                    Map.of("username", name, "password", "bench-password")).get("token").asText();
            // Each rater on its own kept-alive connection: the cheapest client for this machine's shared cores.
            team.add(new Rater(new RaterConnection(url, token), new String[2]));
        }

        Path pgData = Files.createTempDirectory(CpuShares.DRIVER_DATABASE_PREFIX);
        // A data directory means fsync on: the consumer's "durable" is really on disk.
        try (LocalPostgres postgres = LocalPostgres.start(pgData, 0);
             SingleConnection database = new SingleConnection(postgres.jdbcUrl(), postgres.username(), postgres.password())) {
            StreamTable table = new StreamTable(database);
            String group = "bench-stream-" + UUID.randomUUID();
            startAtTheEnd(database, StreamTable.NAME);   // judgments of earlier runs are not this run's
            try (MaterialisingConsumer<JudgmentRecorded> consumer = new MaterialisingConsumer<>(bootstrapServers, group,
                    Topic.JUDGMENTS, JudgmentRecorded.class, table)) {
                consumer.start();
                if (!assigned.await(120, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the consumer got no partitions of " + Topic.JUDGMENTS.topicName() + " within 120 s");
                }
                System.out.printf("stream: %d raters, %d submits/s, %d s warm-up, %d s measured; consumer group %s%n",
                        raters, rate, warmupSeconds, seconds, group);
                submitAtRate(campaign, team, total);
                long submitsDone = System.nanoTime();
                System.out.printf("stream: %d acknowledged, %d submit failures; waiting for the stream to drain%n",
                        acknowledgedAt.size(), submitFailures.get());
                drain(consumer);
                System.out.printf("stream: drained in %.1f s after the last submit%n", (System.nanoTime() - submitsDone) / 1e9);
                for (Rater rater : team) {
                    rater.http().close();
                }
                return report();
            }
        } finally {
            deleteRecursively(pgData);
        }
    }

    /**
     * Open loop: submit i is due at start + i/rate. Each rater holds a leased task ready; a due submit
     * goes to any ready rater, which then leases its next task. The first rate × warm-up submits are not measured.
     */
    private void submitAtRate(String campaign, List<Rater> team, int total) throws Exception {
        BlockingQueue<Rater> ready = new LinkedBlockingQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(team.size());
        for (Rater rater : team) {
            pool.submit(() -> {
                if (lease(campaign, rater)) {
                    ready.add(rater);
                }
                return null;
            });
        }
        long intervalNanos = TimeUnit.SECONDS.toNanos(1) / rate;
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
        int warmupCount = rate * warmupSeconds;
        long late = 0;
        long maxLateNanos = 0;
        CpuShares cpuAtStart = null;
        long measuredFrom = 0;
        for (int i = 0; i < total; i++) {
            if (i == warmupCount) {
                cpuAtStart = CpuShares.sample();
                measuredFrom = System.nanoTime();
            }
            long due = start + i * intervalNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            Rater rater = ready.poll(30, TimeUnit.SECONDS);
            if (rater == null) {
                throw new IllegalStateException("no rater had a task for 30 s: the campaign ran out or the backend stalled");
            }
            long lateNanos = System.nanoTime() - due;
            if (lateNanos > TimeUnit.MILLISECONDS.toNanos(20)) {
                late++;
            }
            maxLateNanos = Math.max(maxLateNanos, lateNanos);
            boolean measure = i >= warmupCount;
            pool.submit(() -> {
                submit(rater, measure);
                if (lease(campaign, rater)) {
                    ready.add(rater);
                }
                return null;
            });
        }
        pool.shutdown();
        if (!pool.awaitTermination(60, TimeUnit.SECONDS)) {
            pool.shutdownNow();
        }
        String cpu = cpuAtStart == null ? "cpu: not measured (no submit after the warm-up)"
                : CpuShares.sample().since(cpuAtStart, (System.nanoTime() - measuredFrom) / 1e9, total - warmupCount);
        double elapsed = (System.nanoTime() - start) / 1e9;
        System.out.printf("stream: %d submits in %.1f s (%.0f/s); %d started more than 20 ms late, worst %.0f ms%n",
                total, elapsed, total / elapsed, late, maxLateNanos / 1e6);
        long[] submits = submitNanos.stream().mapToLong(Long::longValue).sorted().toArray();
        long[] nexts = nextNanos.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf("stream: HTTP round trips ms (warm-up included): submit p50 %.1f, p99 %.1f; next task p50 %.1f, p99 %.1f%n",
                ms(submits, 0.5), ms(submits, 0.99), ms(nexts, 0.5), ms(nexts, 0.99));
        System.out.println(cpu.replace("cpu", "stream: cpu"));
    }

    private boolean lease(String campaign, Rater rater) {
        try {
            long sent = System.nanoTime();
            RaterConnection.Reply task = rater.http().post("/api/rater/campaigns/" + campaign + "/next", null);
            nextNanos.add(System.nanoTime() - sent);
            if (task.status() == 200) {
                String assignmentId = JSON.readTree(task.body()).get("assignmentId").asText();
                if (!assignmentId.equals(rater.assignment()[0])) {
                    rater.assignment()[0] = assignmentId;
                    rater.assignment()[1] = UUID.randomUUID().toString();
                }
                return true;
            }
            System.err.println("stream: next answered " + task.status() + ": " + task.text());
        } catch (Exception e) {
            System.err.println("stream: next failed: " + e);
        }
        return false;
    }

    private void submit(Rater rater, boolean measure) {
        Map<String, Object> judgment = Map.of("idempotencyKey", rater.assignment()[1], "choice", "A", "strength", 2);
        try {
            long sent = System.nanoTime();
            RaterConnection.Reply receipt = rater.http().post("/api/rater/assignments/" + rater.assignment()[0] + "/judgment",
                    JSON.writeValueAsString(judgment));
            long now = System.nanoTime();
            submitNanos.add(now - sent);
            if (receipt.status() == 200) {
                UUID judgmentId = UUID.fromString(JSON.readTree(receipt.body()).get("judgmentId").asText());
                acknowledgedAt.put(judgmentId, now);
                if (measure) {
                    measured.add(judgmentId);
                }
            } else {
                submitFailures.incrementAndGet();
                System.err.println("stream: submit answered " + receipt.status() + ": " + receipt.text());
            }
        } catch (Exception e) {
            submitFailures.incrementAndGet();
            System.err.println("stream: submit failed: " + e);
        }
    }

    /** Until every acknowledged judgment is materialised, or nothing new arrived for the drain timeout. */
    private void drain(MaterialisingConsumer<JudgmentRecorded> consumer) throws InterruptedException {
        int seen = -1;
        long lastProgress = System.nanoTime();
        while (!durableAt.keySet().containsAll(acknowledgedAt.keySet())) {
            if (!consumer.isRunning()) {
                System.err.println("stream: the consumer stopped: " + consumer.failure().map(Throwable::toString).orElse("?"));
                return;
            }
            int now = durableAt.size();
            if (now != seen) {
                seen = now;
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > TimeUnit.SECONDS.toNanos(drainTimeoutSeconds)) {
                System.err.printf("stream: no progress for %d s, giving up on the rest%n", drainTimeoutSeconds);
                return;
            }
            Thread.sleep(100);
        }
    }

    private int report() {
        List<Long> latencies = new ArrayList<>();
        long lost = 0;
        for (Map.Entry<UUID, Long> ack : acknowledgedAt.entrySet()) {
            Long durable = durableAt.get(ack.getKey());
            if (durable == null) {
                lost++;
            } else if (measured.contains(ack.getKey())) {
                // A durable write before the HTTP 200 arrived is possible (the relay can beat the response
                // to the client); it counts as 0, not as a negative latency.
                latencies.add(Math.max(0, durable - ack.getValue()));
            }
        }
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        long unknown = durableAt.keySet().stream().filter(id -> !acknowledgedAt.containsKey(id)).count();
        System.out.printf("stream: %d acknowledged, %d materialised (%d not acknowledged to us), %d duplicate copies absorbed%n",
                acknowledgedAt.size(), durableAt.size(), unknown, duplicates.get());
        long[] writes = writeNanos.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf("stream: consumer wrote %d batches (%.1f events each), write+commit ms p50 %.1f, p99 %.1f%n",
                batches.get(), batches.get() == 0 ? 0.0 : (double) (durableAt.size() + duplicates.get()) / batches.get(),
                ms(writes, 0.5), ms(writes, 0.99));
        System.out.printf("stream latency ms: p50 %.1f, p90 %.1f, p99 %.1f, max %.1f (%d judgments measured)%n",
                ms(sorted, 0.50), ms(sorted, 0.90), ms(sorted, 0.99), sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6, sorted.length);
        System.out.printf("submit-to-consumer p50 ms: %.1f, p99 ms: %.1f, lost: %d%n", ms(sorted, 0.50), ms(sorted, 0.99), lost);
        return lost == 0 && submitFailures.get() == 0 && sorted.length > 0 ? 0 : 1;
    }

    private static double ms(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
    }

    /** Stores the topic's current end offsets as this materialisation's positions: read only what comes next. */
    private void startAtTheEnd(DataSource database, String materialisation) throws SQLException {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (KafkaConsumer<byte[], byte[]> probe = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
             Connection connection = database.getConnection();
             PreparedStatement insert = connection.prepareStatement(
                     "INSERT INTO event_positions (materialisation, topic, partition_id, next_offset) VALUES (?, ?, ?, ?)")) {
            List<TopicPartition> partitions = probe.partitionsFor(Topic.JUDGMENTS.topicName()).stream()
                    .map((PartitionInfo info) -> new TopicPartition(info.topic(), info.partition())).toList();
            for (Map.Entry<TopicPartition, Long> end : probe.endOffsets(partitions).entrySet()) {
                insert.setString(1, materialisation);
                insert.setString(2, end.getKey().topic());
                insert.setInt(3, end.getKey().partition());
                insert.setLong(4, end.getValue());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /** One row per event, keyed by event id; records when each judgment became durable. */
    private final class StreamTable extends JdbcMaterialiser<JudgmentRecorded> {

        static final String NAME = "bench.stream";

        StreamTable(DataSource dataSource) throws SQLException {
            super(dataSource, NAME);
            try (Connection connection = dataSource.getConnection()) {
                connection.createStatement().execute("""
                        CREATE TABLE IF NOT EXISTS stream_judgments (
                            event_id    uuid PRIMARY KEY,
                            judgment_id uuid NOT NULL,
                            task_id     uuid NOT NULL,
                            outcome     text NOT NULL,
                            partition_id int NOT NULL,
                            kafka_offset bigint NOT NULL)""");
            }
        }

        @Override
        protected void insert(Connection connection, List<ConsumedEvent<JudgmentRecorded>> batch) throws SQLException {
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO stream_judgments (event_id, judgment_id, task_id, outcome, partition_id, kafka_offset)
                    VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (event_id) DO NOTHING""")) {
                for (ConsumedEvent<JudgmentRecorded> consumed : batch) {
                    JudgmentRecorded event = consumed.event();
                    insert.setObject(1, event.id());
                    insert.setObject(2, event.payload().judgmentId());
                    insert.setObject(3, event.payload().taskId());
                    insert.setString(4, event.payload().outcome().name());
                    insert.setInt(5, consumed.partition().partition());
                    insert.setLong(6, consumed.offset());
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        }

        @Override
        protected void deleteAll(Connection connection) throws SQLException {
            connection.createStatement().execute("DELETE FROM stream_judgments");
        }

        @Override
        public Map<TopicPartition, Long> storedPositions(java.util.Collection<TopicPartition> partitions) {
            Map<TopicPartition, Long> positions = super.storedPositions(partitions);
            assigned.countDown();
            return positions;
        }

        /** The transaction has committed when super.write returns: that is the durable write. */
        @Override
        public void write(List<ConsumedEvent<JudgmentRecorded>> batch, Map<TopicPartition, Long> positionsAfter) {
            long began = System.nanoTime();
            super.write(batch, positionsAfter);
            long now = System.nanoTime();
            writeNanos.add(now - began);
            batches.incrementAndGet();
            for (ConsumedEvent<JudgmentRecorded> consumed : batch) {
                if (durableAt.putIfAbsent(consumed.event().payload().judgmentId(), now) != null) {
                    duplicates.incrementAndGet();
                }
            }
        }
    }

    /**
     * One JDBC connection reused for every transaction: the consumer writes from one thread, and opening a
     * connection per batch would add its cost to every latency measured.
     */
    private static final class SingleConnection implements DataSource, AutoCloseable {

        private final Connection connection;
        private final Connection unclosable;

        SingleConnection(String url, String user, String password) throws SQLException {
            connection = DriverManager.getConnection(url, user, password);
            unclosable = (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[]{Connection.class},
                    (proxy, method, args) -> {
                        if (method.getName().equals("close")) {
                            if (!connection.getAutoCommit()) {
                                connection.rollback();   // nothing half-done carries over (no-op after a commit)
                                connection.setAutoCommit(true);
                            }
                            return null;
                        }
                        try {
                            return method.invoke(connection, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }

        @Override
        public synchronized Connection getConnection() {
            return unclosable;
        }

        @Override
        public Connection getConnection(String username, String password) {
            return getConnection();
        }

        @Override
        public void close() throws SQLException {
            connection.close();
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
        }

        @Override
        public void setLoginTimeout(int seconds) {
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            throw new SQLFeatureNotSupportedException();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            throw new SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return false;
        }
    }

    private static void deleteRecursively(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (Exception e) {
            System.err.println("stream: could not delete " + root + ": " + e.getMessage());
        }
    }
}
