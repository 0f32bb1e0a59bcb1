package dev.rlhf.rewardmodel.cli;

/** A problem the user can fix (a bad file, a bad option): printed as one line, then the given exit code. */
public class CliFailure extends RuntimeException {

    /** Exit code for input the command cannot use (a malformed file, a missing model). */
    public static final int BAD_INPUT = 1;
    /** Exit code for options that contradict each other (picocli uses the same for unknown options). */
    public static final int USAGE = 2;

    private final int exitCode;

    public CliFailure(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    public static CliFailure badInput(String message) {
        return new CliFailure(message, BAD_INPUT);
    }

    public static CliFailure usage(String message) {
        return new CliFailure(message, USAGE);
    }

    public int exitCode() {
        return exitCode;
    }
}
