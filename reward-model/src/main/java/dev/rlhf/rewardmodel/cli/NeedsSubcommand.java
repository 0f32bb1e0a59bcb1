package dev.rlhf.rewardmodel.cli;

import picocli.CommandLine;

/** A command that only groups others (rlhf, train, eval): run alone, it is a usage error naming what it expects. */
abstract class NeedsSubcommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "expected a subcommand: "
                + String.join(", ", spec.subcommands().keySet()));
    }
}
