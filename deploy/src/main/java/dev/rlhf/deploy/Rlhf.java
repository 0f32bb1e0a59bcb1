package dev.rlhf.deploy;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ./rlhf} command line: the root script builds what is missing and dispatches here. */
@Command(name = "rlhf", mixinStandardHelpOptions = true, version = "rlhf 0.1.0",
        description = "The RLHF platform: run it locally, benchmark it.",
        subcommands = {UpCommand.class, dev.rlhf.deploy.bench.IngestBenchmark.class,
                dev.rlhf.deploy.bench.StreamBenchmark.class})
public final class Rlhf {

    public static void main(String[] args) {
        // The launcher's own libraries (Kafka admin and clients, embedded PostgreSQL) log warnings only;
        // the Kafka broker child JVM does not inherit this and logs at info to <data-dir>/kafka/broker.log.
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        System.exit(new CommandLine(new Rlhf()).execute(args));
    }
}
