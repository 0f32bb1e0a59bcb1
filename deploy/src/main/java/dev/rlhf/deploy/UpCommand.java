package dev.rlhf.deploy;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code ./rlhf up}: starts the platform on embedded defaults. A real PostgreSQL from embedded binaries
 * unless QUARKUS_DATASOURCE_JDBC_URL points at one, then the backend as a child JVM. Ctrl-C stops the
 * backend first and the database last, so no write is cut off.
 */
@Command(name = "up", description = "Start the platform (embedded PostgreSQL unless one is configured).")
public final class UpCommand implements Callable<Integer> {

    @Option(names = "--demo", description = "Seed a demo campaign, prompts, completions and rater accounts.")
    boolean demo;

    @Option(names = "--port", defaultValue = "8080", description = "HTTP port of the backend (default ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--data-dir", defaultValue = "data", description = "Where embedded services keep their data (default ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--backend-jar", defaultValue = "backend/target/quarkus-app/quarkus-run.jar", hidden = true)
    Path backendJar;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(backendJar)) {
            System.err.println("rlhf up: the backend is not built (" + backendJar + " is missing); run ./rlhf build");
            return 2;
        }
        try (LocalStack stack = LocalStack.start(dataDir.toAbsolutePath(), port, demo, backendJar)) {
            Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "rlhf-shutdown"));
            stack.printWelcome(System.out);
            return stack.awaitBackendExit();
        }
    }
}
