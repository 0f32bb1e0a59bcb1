package dev.rlhf.deploy;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ./rlhf} command line: the root script builds what is missing and dispatches here. */
@Command(name = "rlhf", mixinStandardHelpOptions = true, version = "rlhf 0.1.0",
        description = "The RLHF platform: run it locally, benchmark it.",
        subcommands = {UpCommand.class})
public final class Rlhf {

    public static void main(String[] args) {
        System.exit(new CommandLine(new Rlhf()).execute(args));
    }
}
