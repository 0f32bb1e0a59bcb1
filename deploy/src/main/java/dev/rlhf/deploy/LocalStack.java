package dev.rlhf.deploy;

import dev.rlhf.embedded.LocalKafka;
import dev.rlhf.embedded.LocalPostgres;
import dev.rlhf.events.kafka.TopicProvisioner;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The running local platform: embedded PostgreSQL and Kafka (each unless an external one is
 * configured), the backend process and the reward-model worker, stopped in reverse order: worker,
 * backend, Kafka, PostgreSQL.
 */
final class LocalStack implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofMinutes(3);

    private final LocalPostgres postgres;
    private final LocalKafka kafka;
    private volatile Process backend;
    private volatile Process rewardModel;
    private final int port;
    private final boolean demo;
    private final String databaseUrl;
    private final String kafkaBootstrap;
    private volatile boolean closed;

    private LocalStack(LocalPostgres postgres, LocalKafka kafka, int port, boolean demo, String databaseUrl,
                       String kafkaBootstrap) {
        this.postgres = postgres;
        this.kafka = kafka;
        this.port = port;
        this.demo = demo;
        this.databaseUrl = databaseUrl;
        this.kafkaBootstrap = kafkaBootstrap;
    }

    /**
     * @param partitions partitions of each platform topic, used only when a topic is created (an existing
     *                   topic keeps its partitions)
     * @param rewardModel how to run the reward-model worker, or empty to run without it
     * @param postgresSettings server settings of the embedded PostgreSQL (unused with an external database)
     */
    static LocalStack start(Path dataDir, int port, boolean demo, Path backendJar, int partitions,
                            Optional<RewardModelWorker> rewardModel, Map<String, String> postgresSettings)
            throws IOException, InterruptedException {
        Files.createDirectories(dataDir);
        LocalPostgres postgres = null;
        LocalKafka kafka = null;
        String jdbcUrl = env("QUARKUS_DATASOURCE_JDBC_URL");
        String bootstrap = env("KAFKA_BOOTSTRAP_SERVERS");
        Map<String, String> env = new java.util.HashMap<>(System.getenv());
        LocalStack stack = null;
        try {
            if (jdbcUrl == null) {
                postgres = LocalPostgres.start(dataDir.resolve("postgres"), 0, postgresSettings);
                jdbcUrl = postgres.jdbcUrl();
                env.put("QUARKUS_DATASOURCE_JDBC_URL", jdbcUrl);
                env.put("QUARKUS_DATASOURCE_USERNAME", postgres.username());
                env.put("QUARKUS_DATASOURCE_PASSWORD", postgres.password());
            } else if (!postgresSettings.isEmpty()) {
                System.err.println("rlhf up: --postgres-setting ignored: QUARKUS_DATASOURCE_JDBC_URL names an external database");
            }
            if (bootstrap == null) {
                kafka = LocalKafka.start(dataDir.resolve("kafka"), 0);
                bootstrap = kafka.bootstrapServers();
            }
            // Any cluster, embedded or managed: creates what is missing (judgments kept forever), leaves the rest.
            // Replication: the broker's default (1 on the embedded broker, the cluster's policy elsewhere).
            TopicProvisioner.ensureTopics(bootstrap, partitions, Optional.empty());
            env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
            env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
            if (demo) {
                env.put("RLHF_DEMO", "true");
            }
            // The backend reaches the worker (the research console's reward-model page) with a token made for this run.
            String workerToken = java.util.UUID.randomUUID() + "-" + java.util.UUID.randomUUID();
            rewardModel.ifPresent(worker -> {
                env.put("RLHF_REWARD_MODEL_URL", "http://localhost:" + worker.port());
                env.put("RLHF_REWARD_MODEL_API_TOKEN", workerToken);
            });
            stack = new LocalStack(postgres, kafka, port, demo, jdbcUrl, bootstrap);
            // A signal before the launcher installs its own handlers (still starting) must not orphan the
            // backend: the embedded servers have hooks of their own, the backend process has only this one.
            Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "rlhf-shutdown"));
            List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xmx2g", "-jar", backendJar.toString()));
            ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
            builder.environment().clear();
            builder.environment().putAll(env);
            stack.backend = builder.start();
            stack.awaitReady(stack.backend, "the backend", port);
            if (rewardModel.isPresent()) {
                stack.rewardModel = rewardModel.get().start(env, dataDir, javaBinary());
                stack.awaitReady(stack.rewardModel, "the reward-model worker", rewardModel.get().port());
            }
            return stack;
        } catch (IOException | InterruptedException | RuntimeException e) {
            if (stack != null) {
                stack.close();
            } else {
                closeQuietly(kafka);
                closeQuietly(postgres);
            }
            throw e;
        }
    }

    private static void closeQuietly(AutoCloseable service) {
        if (service == null) {
            return;
        }
        try {
            service.close();
        } catch (Exception e) {
            System.err.println("rlhf: could not stop " + service.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private static String env(String name) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? null : value;
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private void awaitReady(Process process, String name, int port) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        URI health = URI.create("http://localhost:" + port + "/q/health/ready");
        Instant deadline = Instant.now().plus(READY_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with code " + process.exitValue() + " during start-up (see its log above)");
            }
            try {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(name + " was not ready within " + READY_TIMEOUT.toSeconds() + " s");
    }

    void printWelcome(PrintStream out) {
        String admin = env("RLHF_ADMIN_PASSWORD") != null
                ? "password from RLHF_ADMIN_PASSWORD"
                : "password printed in the log above on the first start (set RLHF_ADMIN_PASSWORD to choose it)";
        out.println();
        out.println("rlhf is up");
        out.println("  url:        http://localhost:" + port + "/");
        out.println("  api docs:   http://localhost:" + port + "/q/swagger-ui");
        out.println("  database:   " + databaseUrl + (postgres == null ? " (external)" : " (embedded)"));
        out.println("  kafka bootstrap: " + kafkaBootstrap + (kafka == null ? " (external)" : " (embedded)"));
        if (rewardModel != null) {
            out.println("  reward model: worker on http://localhost:" + (port + 1) + "/ (versions in the research console)");
        }
        out.println("  accounts:   admin (" + admin + ")");
        if (demo) {
            out.println("              researcher / researcher-demo");
            out.println("              rater1, rater2, rater3 / rater-demo");
        }
        out.println("  stop:       Ctrl-C");
        out.println();
    }

    int awaitBackendExit() throws InterruptedException {
        return backend.waitFor();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        stop(rewardModel);
        stop(backend);
        // The services are gone, so nothing writes any more: Kafka next, PostgreSQL last.
        closeQuietly(kafka);
        closeQuietly(postgres);
    }

    private static void stop(Process process) {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
