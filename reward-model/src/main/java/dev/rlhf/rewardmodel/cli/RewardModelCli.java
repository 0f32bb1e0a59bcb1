package dev.rlhf.rewardmodel.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code rlhf train rm} and {@code rlhf eval rm}: offline reward-model runs on TRL preference files, as a
 * plain Java main (no Quarkus start-up). Problems are one line on stderr and exit code 1 (input) or 2 (usage);
 * {@code RLHF_DEBUG=1} adds the stack trace.
 */
@Command(name = "rlhf", mixinStandardHelpOptions = true, subcommands = {RewardModelCli.Train.class, RewardModelCli.Eval.class},
        description = "Offline reward-model training and evaluation on TRL preference JSONL.")
public final class RewardModelCli extends NeedsSubcommand {

    @Command(name = "train", description = "Train a model offline.", mixinStandardHelpOptions = true,
            subcommands = TrainCommand.class)
    static final class Train extends NeedsSubcommand {
    }

    @Command(name = "eval", description = "Evaluate a model offline.", mixinStandardHelpOptions = true,
            subcommands = EvalCommand.class)
    static final class Eval extends NeedsSubcommand {
    }

    public static void main(String[] args) {
        quietLibraryLogs();
        System.exit(run(args));
    }

    /**
     * Libraries on the worker's classpath log through SLF4J, whose provider there (JBoss LogManager) only works
     * inside Quarkus; outside it SLF4J prints a provider error. A command line wants neither: no provider.
     */
    static void quietLibraryLogs() {
        if (System.getProperty("slf4j.provider") == null) {
            System.setProperty("slf4j.internal.verbosity", "ERROR");
            System.setProperty("slf4j.provider", "org.slf4j.helpers.NOP_FallbackServiceProvider");
        }
    }

    /** Runs a command line and returns its exit code (tests call this). */
    public static int run(String... args) {
        return run(new CommandLine(new RewardModelCli()), args);
    }

    /** Runs {@code cli} with one-line errors: the exit code of the command, 1 for bad input, 2 for bad usage. */
    static int run(CommandLine cli, String... args) {
        cli.setExecutionExceptionHandler((e, line, parsed) -> {
            String prefix = line.getCommandSpec().qualifiedName(" ") + ": ";
            if (System.getenv("RLHF_DEBUG") != null) e.printStackTrace();
            if (e instanceof CliFailure failure) {
                line.getErr().println(prefix + failure.getMessage());
                return failure.exitCode();
            }
            line.getErr().println(prefix + describe(e));
            return CliFailure.BAD_INPUT;
        });
        cli.setParameterExceptionHandler((e, arguments) -> {
            CommandLine command = e.getCommandLine();
            String path = command.getCommandSpec().qualifiedName(" ");
            command.getErr().println(path + ": " + e.getMessage() + " (see " + path + " --help)");
            return CliFailure.USAGE;
        });
        return cli.execute(args);
    }

    /** The innermost message that says something, for failures of the engine or the JVM. */
    static String describe(Throwable e) {
        Throwable t = e;
        while (t.getMessage() == null && t.getCause() != null) t = t.getCause();
        if (t instanceof OutOfMemoryError) {
            return "out of memory (" + t.getMessage() + "); give the JVM more with JAVA_TOOL_OPTIONS=-Xmx8g, or lower --batch-size";
        }
        return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    }
}
