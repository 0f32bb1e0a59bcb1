package dev.rlhf.deploy.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time used by each part of the stack on this machine (Linux {@code /proc}): the backend, the reward-model
 * worker, the platform's PostgreSQL, the Kafka broker, this driver with any PostgreSQL it started itself (the
 * stream benchmark's consumer database), and everything else. Two snapshots give who used the cores in between, which
 * on a shared 2-core machine says more than any latency figure where the time of a judgment goes.
 */
final class CpuShares {

    /** Clock ticks per second of {@code /proc/<pid>/stat}; 100 on every Linux this runs on. */
    private static final double TICKS_PER_SECOND = 100.0;

    /** The name with which a driver's own PostgreSQL data folder starts, to tell that server from the platform's. */
    static final String DRIVER_DATABASE_PREFIX = "rlhf-driver-postgres-";

    private record Usage(String part, long ticks) {
    }

    /** Per process id, so a process that ended or started between two snapshots counts only what it used in between. */
    private final Map<Long, Usage> byProcess;

    private CpuShares(Map<Long, Usage> byProcess) {
        this.byProcess = byProcess;
    }

    /** Cumulative CPU ticks per part, now; empty when {@code /proc} is not there (not Linux). */
    static CpuShares sample() {
        Map<Long, Usage> ticks = new java.util.HashMap<>();
        long self = ProcessHandle.current().pid();
        Map<Long, Long> parents = new java.util.HashMap<>();
        java.util.Set<Long> driverDatabases = new java.util.HashSet<>();
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            processes.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).forEach(p -> {
                long pid = Long.parseLong(p.getFileName().toString());
                try {
                    String stat = Files.readString(p.resolve("stat"));
                    // Fields after the command name, which is in parentheses and may hold spaces.
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long used = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime + stime
                    String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    String cmdline = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8);
                    parents.put(pid, Long.parseLong(fields[1]));
                    if (cmdline.contains(DRIVER_DATABASE_PREFIX)) {
                        driverDatabases.add(pid);
                    }
                    ticks.put(pid, new Usage(part(pid, self, comm, cmdline), used));
                } catch (IOException | RuntimeException e) {
                    // The process ended between the listing and the read: it used nothing we can still count.
                }
            });
        } catch (IOException e) {
            return new CpuShares(Map.of());
        }
        // A PostgreSQL the driver started: its postmaster's command line names the data folder, its backends are the
        // postmaster's children.
        ticks.replaceAll((pid, usage) -> usage.part().equals("postgres")
                && (driverDatabases.contains(pid) || driverDatabases.contains(parents.get(pid)))
                ? new Usage("driver's postgres", usage.ticks()) : usage);
        return new CpuShares(ticks);
    }

    private static String part(long pid, long self, String comm, String cmdline) {
        if (pid == self) {
            return "driver";
        }
        if (cmdline.contains("reward-model")) {
            return "reward-model";
        }
        if (cmdline.contains("quarkus-run.jar")) {
            return "backend";
        }
        if (comm.equals("postgres") || cmdline.contains("/bin/postgres")) {
            return "postgres";
        }
        if (cmdline.contains("kafka.Kafka")) {
            return "kafka";
        }
        return "other";
    }

    /** CPU seconds per part between an earlier snapshot and this one, as two lines. */
    String since(CpuShares earlier, double seconds, long judgments) {
        if (byProcess.isEmpty() || earlier.byProcess.isEmpty()) {
            return "cpu: not measured (no /proc)";
        }
        Map<String, Long> ticksByPart = new LinkedHashMap<>();
        for (String part : new String[]{"backend", "reward-model", "postgres", "kafka", "driver", "driver's postgres", "other"}) {
            ticksByPart.put(part, 0L);
        }
        byProcess.forEach((pid, usage) -> {
            Usage before = earlier.byProcess.get(pid);
            long used = usage.ticks() - (before == null ? 0 : before.ticks());
            ticksByPart.merge(usage.part(), Math.max(0, used), Long::sum);
        });
        ticksByPart.values().removeIf(ticks -> ticks == 0);
        int cores = Runtime.getRuntime().availableProcessors();
        StringBuilder line = new StringBuilder(String.format(
                "cpu s used in the %.0f s measured (%d cores = %.0f s; processes that ended meanwhile are not counted):",
                seconds, cores, seconds * cores));
        StringBuilder perJudgment = new StringBuilder("cpu ms per judgment:");
        double total = 0;
        for (Map.Entry<String, Long> part : ticksByPart.entrySet()) {
            double used = part.getValue() / TICKS_PER_SECOND;
            total += used;
            line.append(String.format(" %s %.1f,", part.getKey(), used));
            perJudgment.append(String.format(" %s %.2f,", part.getKey(), judgments == 0 ? 0 : 1000 * used / judgments));
        }
        line.append(String.format(" total %.1f", total));
        perJudgment.append(String.format(" total %.2f", judgments == 0 ? 0 : 1000 * total / judgments));
        return line + "\n" + perJudgment;
    }
}
