package dev.rlhf.rewardmodel.cli;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** A two-column table of named figures, printed at the end of a run. */
public final class MetricsTable {

    private final Map<String, String> rows = new LinkedHashMap<>();

    public MetricsTable add(String name, String value) {
        rows.put(name, value);
        return this;
    }

    /** A number with four decimals, or "n/a" when it could not be measured (NaN). */
    public MetricsTable add(String name, double value) {
        return add(name, Double.isFinite(value) ? String.format(Locale.ROOT, "%.4f", value) : "n/a");
    }

    public MetricsTable add(String name, double value, String format) {
        return add(name, Double.isFinite(value) ? String.format(Locale.ROOT, format, value) : "n/a");
    }

    public void print(PrintStream out) {
        int width = Math.max("metric".length(), rows.keySet().stream().mapToInt(String::length).max().orElse(0));
        int valueWidth = Math.max("value".length(), rows.values().stream().mapToInt(String::length).max().orElse(0));
        String line = "%-" + width + "s  %" + valueWidth + "s%n";
        out.printf(line, "metric", "value");
        out.println("-".repeat(width) + "  " + "-".repeat(valueWidth));
        rows.forEach((k, v) -> out.printf(line, k, v));
    }
}
