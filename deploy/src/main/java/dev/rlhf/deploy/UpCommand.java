package dev.rlhf.deploy;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code ./rlhf up}: starts the platform on embedded defaults. A real PostgreSQL from embedded binaries
 * unless QUARKUS_DATASOURCE_JDBC_URL points at one, a real single-node Kafka broker (KRaft) unless
 * KAFKA_BOOTSTRAP_SERVERS points at a cluster, the platform's topics, then the backend and the reward-model
 * worker as child JVMs. Ctrl-C (SIGINT) or SIGTERM stops the worker and the backend first, then Kafka, then
 * the database, so no write is cut off.
 */
@Command(name = "up", description = "Start the platform (embedded PostgreSQL and Kafka unless external ones are configured).")
public final class UpCommand implements Callable<Integer> {

    @Option(names = "--demo", description = "Seed a demo campaign, prompts, completions and rater accounts.")
    boolean demo;

    @Option(names = "--port", defaultValue = "8080", description = "HTTP port of the backend (default ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--data-dir", defaultValue = "data", description = "Where embedded services keep their data (default ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--partitions", defaultValue = "3",
            description = "Partitions of each platform topic when it is created; existing topics keep theirs (default ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--backend-jar", defaultValue = "backend/target/quarkus-app/quarkus-run.jar", hidden = true)
    Path backendJar;

    @Option(names = "--reward-model-jar", defaultValue = "reward-model/target/quarkus-app/quarkus-run.jar", hidden = true)
    Path rewardModelJar;

    @Option(names = "--reward-base-model",
            description = "A model folder or .gguf file the reward-model worker trains from (without it the worker builds the dataset only).")
    Path rewardBaseModel;

    @Option(names = "--no-reward-model", description = "Run without the reward-model worker.")
    boolean noRewardModel;

    @Option(names = "--postgres-setting", paramLabel = "NAME=VALUE",
            description = "A server setting of the embedded PostgreSQL, repeatable; e.g. shared_preload_libraries=pg_stat_statements"
                    + " to see what each statement costs (bench/README.md). Not applied to an external database.")
    Map<String, String> postgresSettings = new LinkedHashMap<>();

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(backendJar)) {
            System.err.println("rlhf up: the backend is not built (" + backendJar + " is missing); run ./rlhf build");
            return 2;
        }
        if (partitions < 1) {
            System.err.println("rlhf up: --partitions must be at least 1");
            return 2;
        }
        Optional<RewardModelWorker> worker = Optional.empty();
        if (!noRewardModel) {
            if (!Files.isRegularFile(rewardModelJar)) {
                System.err.println("rlhf up: the reward-model worker is not built (" + rewardModelJar + " is missing); run ./rlhf build");
                return 2;
            }
            if (rewardBaseModel != null && !Files.exists(rewardBaseModel)) {
                System.err.println("rlhf up: --reward-base-model " + rewardBaseModel + " does not exist");
                return 2;
            }
            worker = Optional.of(new RewardModelWorker(rewardModelJar, port + 1, Optional.ofNullable(rewardBaseModel)));
        }
        try (LocalStack stack = LocalStack.start(dataDir.toAbsolutePath(), port, demo, backendJar, partitions, worker,
                postgresSettings)) {
            stopInOrderOn("INT", stack, 130);
            stopInOrderOn("TERM", stack, 143);
            // Other exits (SIGHUP, a signal during start-up) are covered by LocalStack's shutdown hook, in no
            // particular order, as the JVM runs all hooks at once.
            stack.printWelcome(System.out);
            if (sigintIgnored()) {
                System.out.println("note: SIGINT is ignored by this process (started in the background by a script), so Ctrl-C/kill -INT"
                        + " will not stop it; send SIGTERM (kill " + ProcessHandle.current().pid() + ")");
            }
            return stack.awaitBackendExit();
        }
    }

    /** Linux lists ignored signals in /proc/self/status as a hex mask; SIGINT is signal 2, bit 1. */
    private static boolean sigintIgnored() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(line -> line.startsWith("SigIgn:"))
                    .anyMatch(line -> (Long.parseUnsignedLong(line.substring(7).trim(), 16) & 0x2) != 0);
        } catch (Exception notLinux) {
            return false;
        }
    }

    /**
     * The embedded services register shutdown hooks of their own, and the JVM runs all hooks at once, so
     * on a plain shutdown the broker and the database could stop while the backend still writes. Handling
     * the signal ourselves stops the stack in order first; the JVM exits (and runs the now idle hooks) after.
     * A signal the shell set to "ignore" (a background job of a non-interactive script ignores SIGINT)
     * stays ignored: scripts should send SIGTERM.
     */
    private static void stopInOrderOn(String signal, LocalStack stack, int exitCode) {
        try {
            Signal.handle(new Signal(signal), received -> {
                System.err.println("rlhf: stopping (reward-model worker and backend, then Kafka, then PostgreSQL)...");
                stack.close();
                System.exit(exitCode);
            });
        } catch (IllegalArgumentException notAvailable) {
            // the signal is ignored or reserved on this platform: the shutdown hook covers what it can
        }
    }
}
