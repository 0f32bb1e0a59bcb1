package dev.rlhf.rewardmodel.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs the CLI in-process with stdout and stderr captured (and still echoed, for the surefire report). */
record Console(int exitCode, String out, String err) {

    static Console run(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            code = RewardModelCli.run(args);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        Console c = new Console(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        oldOut.print(c.out);
        oldErr.print(c.err);
        return c;
    }

    /** The value column of a metrics-table row. */
    double metric(String name) {
        for (String line : out.split("\n")) {
            if (line.startsWith(name + "  ")) return Double.parseDouble(line.substring(name.length()).trim().split("\\s+")[0]);
        }
        throw new AssertionError("no row '" + name + "' in:\n" + out);
    }
}
