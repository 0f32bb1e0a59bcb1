package dev.rlhf.deploy;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ./rlhf} command line: the root script builds what is missing and dispatches here. */
@Command(name = "rlhf", mixinStandardHelpOptions = true, version = "rlhf 0.1.0",
        description = "The RLHF platform: run it locally, work with models, benchmark it.",
        subcommands = {UpCommand.class, dev.rlhf.deploy.model.GenerateCommand.class,
                dev.rlhf.deploy.model.ConvertCommand.class, dev.rlhf.deploy.bench.IngestBenchmark.class,
                dev.rlhf.deploy.bench.StreamBenchmark.class})
public final class Rlhf {

    public static void main(String[] args) {
        // The launcher's own libraries (Kafka admin and clients, embedded PostgreSQL) log warnings only;
        // the Kafka broker child JVM does not inherit this and logs at info to <data-dir>/kafka/broker.log.
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        // The embedded PostgreSQL library stops its server from a shutdown hook of its own and logs any failure
        // there with a stack trace; after a start that failed (already reported in one line) it always fails, as
        // there is no server to stop. The stack's own close reports real failures, so the library stays quiet
        // unless RLHF_DEBUG asks for everything.
        if (System.getenv("RLHF_DEBUG") == null) {
            System.setProperty("org.slf4j.simpleLogger.log.io.zonky.test.db.postgres", "off");
        }
        System.exit(commandLine().execute(args));
    }

    /** The command line with its error handling, as {@code main} runs it (tests run it the same way). */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Rlhf());
        // Bad input (a missing file, a tensor that does not fit) is a message naming the problem, not a stack trace.
        cli.setExecutionExceptionHandler((e, commandLine, parsed) -> {
            commandLine.getErr().println("rlhf " + commandLine.getCommandName() + ": " + describe(e));
            if (System.getenv("RLHF_DEBUG") != null) e.printStackTrace(commandLine.getErr());
            return 1;
        });
        return cli;
    }

    private static String describe(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof java.nio.file.NoSuchFileException) return "no such file: " + message;
        return e instanceof IllegalArgumentException || e instanceof IllegalStateException || e instanceof java.io.IOException
                ? message : e.getClass().getSimpleName() + ": " + message + " (RLHF_DEBUG=1 shows the stack trace)";
    }
}
