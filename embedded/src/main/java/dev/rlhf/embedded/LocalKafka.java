package dev.rlhf.embedded;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real single-node Apache Kafka broker in KRaft mode, run from Apache Kafka's own server jars
 * ({@code org.apache.kafka:kafka_2.13}) in a child JVM.
 *
 * <p>A child JVM rather than an in-process broker: the broker keeps its own Scala/Kafka classpath
 * away from the service's, and {@link #stop()} is a real process shutdown, which is what the
 * fault tests need. The broker acts as its own controller; its data (KRaft metadata and topic logs)
 * lives under the data directory, so {@link #stop()} followed by {@link #start()} brings back the
 * same topics and offsets on the same port.
 *
 * <p>Layout of the data directory: {@code server.properties}, {@code log/} (Kafka's
 * {@code log.dirs}), {@code broker.log} (the child's console output since the last start) and
 * {@code broker.previous.log} (the run before).
 */
public final class LocalKafka implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final Path dataDirectory;
    private final boolean temporary;
    private final int port;
    private final int controllerPort;
    private final String classpath;
    private final Thread stopOnExit;
    private volatile Process broker;

    private LocalKafka(Path dataDirectory, boolean temporary, int port, String classpath) {
        this.dataDirectory = dataDirectory;
        this.temporary = temporary;
        this.port = port > 0 ? port : freePort();
        this.controllerPort = freePort();
        this.classpath = classpath;
        // Ctrl-C on `./rlhf up`, or a test run that dies, must not leave a broker running. Orderly
        // first, so the next start does not have to recover the logs; not synchronized, as the
        // JVM may be exiting while start() holds the lock.
        this.stopOnExit = new Thread(() -> {
            Process running = broker;
            if (running != null) {
                running.destroy();
                try {
                    running.waitFor(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                running.destroyForcibly();
            }
        }, "local-kafka-stop-on-exit");
        Runtime.getRuntime().addShutdownHook(stopOnExit);
    }

    /** Starts a throw-away broker on a free port; its data is deleted on {@link #close()}. */
    public static LocalKafka startEphemeral() {
        return start(null, 0);
    }

    /**
     * Starts a broker with the server jars this JVM can see: those on {@code java.class.path} (Maven,
     * Surefire, {@code java -cp}), or else every jar beside the one that holds {@code kafka.Kafka}
     * (a flat library folder such as a Quarkus fast-jar's {@code lib/main}).
     *
     * @param dataDirectory where the broker keeps its data (kept between runs), or null for a temporary one
     * @param port the client port, or 0 for a free one
     */
    public static LocalKafka start(Path dataDirectory, int port) {
        return start(dataDirectory, port, serverClasspath(System.getProperty("java.class.path"),
                LocalKafka.class.getClassLoader().getResource("kafka/Kafka.class")));
    }

    /** Starts a broker whose JVM uses the given classpath, which must hold Apache Kafka's server jars. */
    public static LocalKafka start(Path dataDirectory, int port, String classpath) {
        if (!holdsServerJar(classpath)) {
            throw new IllegalStateException("Apache Kafka's server jar (org.apache.kafka:kafka_2.13) is not on the "
                    + "classpath for the broker; depend on rlhf-embedded at runtime or pass a classpath to "
                    + "LocalKafka.start(dataDirectory, port, classpath)");
        }
        try {
            boolean temporary = dataDirectory == null;
            Path directory = temporary ? Files.createTempDirectory("rlhf-kafka-") : dataDirectory;
            Files.createDirectories(directory);
            LocalKafka kafka = new LocalKafka(directory.toAbsolutePath(), temporary, port, classpath);
            try {
                kafka.start();
            } catch (RuntimeException e) {
                kafka.close(); // no shutdown hook or temporary folder left behind by a failed start
                throw e;
            }
            return kafka;
        } catch (IOException e) {
            throw new UncheckedIOException("could not prepare the Kafka data directory: " + e.getMessage(), e);
        }
    }

    /** Starts the broker process again on the same data and port. Does nothing if it runs. */
    public synchronized void start() {
        if (isRunning()) {
            return;
        }
        keepOnlyThePreviousBrokerLog();
        Path serverProperties = writeServerProperties();
        if (!Files.exists(logDirectory().resolve("meta.properties"))) {
            format(serverProperties);
        }
        broker = launch(List.of("kafka.Kafka", serverProperties.toString()));
        awaitReady();
    }

    /**
     * Stops the broker as an operator would (SIGTERM, Kafka's own orderly shutdown), and kills it
     * if it has not exited in time. Its data stays; {@link #start()} resumes from it.
     */
    public synchronized void stop() {
        if (broker == null) {
            return;
        }
        try {
            broker.destroy();
            if (!broker.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                broker.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            broker.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        broker = null;
    }

    public synchronized boolean isRunning() {
        return broker != null && broker.isAlive();
    }

    /** The address clients connect to, {@code localhost:port}; the same across restarts. */
    public String bootstrapServers() {
        return "localhost:" + port;
    }

    public int port() {
        return port;
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    /**
     * Creates a topic with replication factor 1 (there is one broker) and the given topic configs,
     * for example {@code retention.ms=-1} for a topic kept forever. An existing topic is left as
     * it is, so this can run on every start.
     *
     * @return true if the topic was created, false if it already existed
     */
    public boolean createTopic(String name, int partitions, Map<String, String> configs) {
        try (Admin admin = admin()) {
            NewTopic topic = new NewTopic(name, partitions, (short) 1).configs(configs);
            admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicExistsException) {
                return false;
            }
            throw new IllegalStateException("could not create topic " + name + ": " + e.getCause().getMessage(), e);
        } catch (Exception e) {
            throw new IllegalStateException("could not create topic " + name + ": " + e.getMessage(), e);
        }
    }

    /** Stops the broker; a temporary data directory is deleted. */
    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook runs anyway; nothing left to undo
        }
        if (temporary) {
            deleteRecursively(dataDirectory);
        }
    }

    private Admin admin() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
        return withKafkasClassLoader(() -> Admin.create(props));
    }

    /**
     * Creates a Kafka client with the thread's context class loader set to the one that loaded Kafka's classes.
     * The client loads its configured classes (metrics reporters) through the context class loader; a test
     * framework that restarts the application on another class loader (Quarkus test profiles) would otherwise
     * hand it a second copy of those classes, which the client then refuses as not its own.
     */
    public static <T> T withKafkasClassLoader(java.util.function.Supplier<T> create) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(Admin.class.getClassLoader());
        try {
            return create.get();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private Path logDirectory() {
        return dataDirectory.resolve("log");
    }

    private Path brokerLog() {
        return dataDirectory.resolve("broker.log");
    }

    /** A broker that runs for months must not fill the data folder with its console output. */
    private void keepOnlyThePreviousBrokerLog() {
        try {
            if (Files.exists(brokerLog())) {
                Files.move(brokerLog(), dataDirectory.resolve("broker.previous.log"), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not rotate " + brokerLog() + ": " + e.getMessage(), e);
        }
    }

    /** Written on every start: ports may change between runs of a persistent data directory. */
    private Path writeServerProperties() {
        String controller = "localhost:" + controllerPort;
        String config = String.join("\n",
                "# written by dev.rlhf.embedded.LocalKafka on every start",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@" + controller,
                "listeners=PLAINTEXT://localhost:" + port + ",CONTROLLER://" + controller,
                "advertised.listeners=PLAINTEXT://localhost:" + port,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + logDirectory(),
                // One broker: internal topics cannot have more than one replica.
                "offsets.topic.replication.factor=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                // A restarted broker cannot register until the controller has expired its previous
                // registration (DuplicateBrokerRegistrationException until then): the default 9 s
                // session made every restart take 11 s; 2 s keeps restarts at a few seconds.
                "broker.session.timeout.ms=2000",
                "broker.heartbeat.interval.ms=500",
                // Consumers join at once instead of waiting 3 s for more members.
                "group.initial.rebalance.delay.ms=0",
                // Topics are created on purpose, with their partitions and retention, never by a typo.
                "auto.create.topics.enable=false",
                "");
        Path file = dataDirectory.resolve("server.properties");
        try {
            Files.writeString(file, config, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file + ": " + e.getMessage(), e);
        }
        return file;
    }

    /** KRaft needs its metadata directory formatted once, with a cluster id, before the first start. */
    private void format(Path serverProperties) {
        String clusterId = Uuid.randomUuid().toString();
        Process formatter = launch(List.of("kafka.tools.StorageTool", "format",
                "--cluster-id", clusterId, "--config", serverProperties.toString()));
        try {
            if (!formatter.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                formatter.destroyForcibly();
                throw new IllegalStateException("formatting Kafka storage timed out; see " + brokerLog());
            }
            if (formatter.exitValue() != 0) {
                throw new IllegalStateException("formatting Kafka storage failed (exit " + formatter.exitValue()
                        + "): " + tailOfBrokerLog());
            }
        } catch (InterruptedException e) {
            formatter.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while formatting Kafka storage", e);
        }
    }

    private Process launch(List<String> mainClassAndArgs) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // A small broker for one machine; C1 only and the serial collector start it faster.
                "-Xms64m", "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", classpath));
        command.addAll(mainClassAndArgs);
        try {
            return new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(brokerLog().toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + mainClassAndArgs.get(0) + ": " + e.getMessage(), e);
        }
    }

    /** Ready means the broker answers a metadata request, not merely that its port is bound. */
    private void awaitReady() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!portAcceptsConnections()) {
            if (!broker.isAlive()) {
                throw new IllegalStateException("the Kafka broker exited with " + broker.exitValue()
                        + " while starting: " + tailOfBrokerLog());
            }
            if (System.nanoTime() > deadline) {
                stop();
                throw new IllegalStateException("the Kafka broker did not open port " + port + " within "
                        + START_TIMEOUT.toSeconds() + " s; see " + brokerLog());
            }
            sleep(50);
        }
        try (Admin admin = admin()) {
            long remainingMs = Math.max(1000, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
            admin.describeCluster().nodes().get(remainingMs, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            stop();
            throw new IllegalStateException("the Kafka broker did not answer on " + bootstrapServers() + ": "
                    + e.getMessage(), e);
        }
    }

    private boolean portAcceptsConnections() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("localhost", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private String tailOfBrokerLog() {
        try {
            List<String> lines = Files.readAllLines(brokerLog(), StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log at " + brokerLog() + ")";
        }
    }

    /**
     * The broker's classpath: this JVM's own if it lists the server jar; else, when
     * {@code kafka/Kafka.class} comes from a jar in a flat library folder, every jar in that folder;
     * else this JVM's own, which {@link #start(Path, int, String)} then reports as lacking the jar.
     */
    static String serverClasspath(String javaClassPath, URL kafkaClass) {
        if (holdsServerJar(javaClassPath) || kafkaClass == null || !"jar".equals(kafkaClass.getProtocol())) {
            return javaClassPath;
        }
        String jarUrl = kafkaClass.getPath().substring(0, kafkaClass.getPath().indexOf("!/"));
        try (Stream<Path> jars = Files.list(Path.of(URI.create(jarUrl)).getParent())) {
            List<String> folder = jars.map(Path::toString).filter(name -> name.endsWith(".jar")).sorted().toList();
            // A Maven repository folder holds the server jar alone; only a flat library folder has
            // the client and Scala beside it.
            boolean flat = folder.stream().anyMatch(name -> name.contains("kafka-clients-"))
                    && folder.stream().anyMatch(name -> name.contains("scala-library-"));
            return flat ? String.join(File.pathSeparator, folder) : javaClassPath;
        } catch (IOException | IllegalArgumentException e) {
            return javaClassPath;
        }
    }

    /** Maven names the jar {@code kafka_2.13-4.0.1.jar}, a Quarkus fast-jar {@code org.apache.kafka.kafka_2.13-4.0.1.jar}. */
    private static boolean holdsServerJar(String classpath) {
        return classpath != null && Stream.of(classpath.split(File.pathSeparator))
                .map(entry -> Path.of(entry).getFileName())
                .anyMatch(name -> name != null && name.toString().contains("kafka_2.13-")
                        && name.toString().endsWith(".jar"));
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port: " + e.getMessage(), e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the Kafka broker", e);
        }
    }

    private static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + root + ": " + e.getMessage(), e);
        }
    }
}
