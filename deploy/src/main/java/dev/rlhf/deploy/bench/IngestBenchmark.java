package dev.rlhf.deploy.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Raters in a loop (next task, then submit) against a running platform. Reports sustained judgments per
 * second, submit latency percentiles, and whether the database holds exactly what was acknowledged.
 */
@Command(name = "ingest-load", description = "Drive N concurrent raters against a running platform.")
public final class IngestBenchmark implements Callable<Integer> {

    @Option(names = "--url", required = true)
    String url;

    @Option(names = "--admin-password", required = true)
    String adminPassword;

    @Option(names = "--raters", defaultValue = "50")
    int raters;

    @Option(names = "--seconds", defaultValue = "30")
    int seconds;

    /**
     * Long enough for a sustained rate: measured from 90 s on, the backend's CPU per judgment was about half of what
     * it was from 10 s on, and the reward-model worker's a fifth, as the JIT compilers caught up (bench/README.md).
     */
    @Option(names = "--warmup-seconds", defaultValue = "90",
            description = "load before the measured window, so both JVMs are compiled (default ${DEFAULT-VALUE})")
    int warmupSeconds;

    /** Room for two minutes above 1,000 judgments/s (overlap 3): a queue that runs dry ends the measure early. */
    @Option(names = "--prompts", defaultValue = "50000",
            description = "pairwise tasks in the campaign (default ${DEFAULT-VALUE})")
    int prompts;

    private record RaterResult(long[] latenciesMicros, int measured, int acknowledged, boolean ranDry) {
    }

    @Override
    public Integer call() throws Exception {
        HttpJson http = new HttpJson(url, java.time.Duration.ofMinutes(15));
        String admin = http.expect(200, "POST", "/api/auth/login", null,
                Map.of("username", "admin", "password", adminPassword)).get("token").asText();
        String campaign = BenchCampaign.create(http, admin, "ingest benchmark", 3, prompts);
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < raters; i++) {
            String name = "bench-" + UUID.randomUUID().toString().substring(0, 8);
            http.expect(201, "POST", "/api/users", admin, Map.of("username", name, "password", "bench-password", "roles", List.of("rater")));
            tokens.add(http.expect(200, "POST", "/api/auth/login", null,
                    Map.of("username", name, "password", "bench-password")).get("token").asText());
        }
        System.out.printf("ingest: %d raters, %d s warm-up, %d s measured%n", raters, warmupSeconds, seconds);
        long start = System.nanoTime();
        long measureFrom = start + TimeUnit.SECONDS.toNanos(warmupSeconds);
        long stopAt = measureFrom + TimeUnit.SECONDS.toNanos(seconds);
        ExecutorService pool = Executors.newFixedThreadPool(raters);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<RaterResult>> futures = new ArrayList<>();
        for (String token : tokens) {
            futures.add(pool.submit(() -> {
                try (RaterConnection connection = new RaterConnection(url, token)) {
                    return rate(connection, campaign, go, measureFrom, stopAt);
                }
            }));
        }
        go.countDown();
        java.util.concurrent.ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
        java.util.concurrent.ScheduledFuture<CpuShares> cpuAtStart = clock.schedule(CpuShares::sample,
                measureFrom - System.nanoTime(), TimeUnit.NANOSECONDS);
        java.util.concurrent.ScheduledFuture<CpuShares> cpuAtEnd = clock.schedule(CpuShares::sample,
                stopAt - System.nanoTime(), TimeUnit.NANOSECONDS);
        long acknowledged = 0;
        int measured = 0;
        int ranDry = 0;
        List<long[]> all = new ArrayList<>();
        for (Future<RaterResult> f : futures) {
            RaterResult r = f.get();
            acknowledged += r.acknowledged;
            measured += r.measured;
            ranDry += r.ranDry ? 1 : 0;
            all.add(Arrays.copyOf(r.latenciesMicros, r.measured));
        }
        pool.shutdown();
        String cpu = cpuAtEnd.get().since(cpuAtStart.get(), seconds, measured);
        clock.shutdown();
        long[] latencies = all.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        long stored = http.expect(200, "GET", "/api/campaigns/" + campaign, admin, null).get("judgments").asLong();
        double perSecond = (double) measured / seconds;
        System.out.printf("submit latency ms: p50 %.1f, p90 %.1f, p99 %.1f, max %.1f (%d submits measured)%n",
                percentile(latencies, 0.50), percentile(latencies, 0.90), percentile(latencies, 0.99),
                latencies.length == 0 ? 0 : latencies[latencies.length - 1] / 1000.0, latencies.length);
        System.out.printf("acknowledged %d, stored %d%n", acknowledged, stored);
        System.out.println(cpu);
        if (ranDry > 0) {
            System.out.printf("%d raters ran out of tasks before the end: the rate below is too low; rerun with more than --prompts %d%n",
                    ranDry, prompts);
        }
        System.out.printf("judgments/s: %.0f, p99 ms: %.1f, lost: %d%n", perSecond, percentile(latencies, 0.99), acknowledged - stored);
        return acknowledged == stored && ranDry == 0 ? 0 : 1;
    }

    private static RaterResult rate(RaterConnection http, String campaign, CountDownLatch go,
                                    long measureFrom, long stopAt) throws Exception {
        go.await();
        long[] latencies = new long[1 << 16];
        int measured = 0;
        int acknowledged = 0;
        String next = "/api/rater/campaigns/" + campaign + "/next";
        while (System.nanoTime() < stopAt) {
            RaterConnection.Reply task = http.post(next, null);
            if (task.status() == 204) {
                return new RaterResult(latencies, measured, acknowledged, true);
            }
            if (task.status() != 200) {
                throw new IllegalStateException("next answered " + task.status() + ": " + task.text());
            }
            String judgment = "{\"idempotencyKey\":\"" + UUID.randomUUID() + "\",\"choice\":\"A\",\"strength\":2}";
            long sent = System.nanoTime();
            RaterConnection.Reply receipt = http.post("/api/rater/assignments/" + assignmentId(task.body()) + "/judgment", judgment);
            long done = System.nanoTime();
            if (receipt.status() != 200) {
                throw new IllegalStateException("submit answered " + receipt.status() + ": " + receipt.text());
            }
            acknowledged++;
            if (sent >= measureFrom && done <= stopAt && measured < latencies.length) {
                latencies[measured++] = (done - sent) / 1000;
            }
        }
        return new RaterResult(latencies, measured, acknowledged, false);
    }

    /** The leased task's {@code assignmentId}, found by streaming the reply rather than building its tree. */
    private static String assignmentId(byte[] task) throws java.io.IOException {
        try (JsonParser parser = JSON.createParser(task)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalStateException("next answered something other than a JSON object");
            }
            for (JsonToken token = parser.nextToken(); token == JsonToken.FIELD_NAME; token = parser.nextToken()) {
                String field = parser.currentName();
                parser.nextToken();
                if (field.equals("assignmentId")) {
                    return parser.getText();
                }
                parser.skipChildren();
            }
        }
        throw new IllegalStateException("next answered a task without assignmentId: " + new String(task, java.nio.charset.StandardCharsets.UTF_8));
    }

    private static final JsonFactory JSON = new JsonFactory();

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1000.0;
    }
}
