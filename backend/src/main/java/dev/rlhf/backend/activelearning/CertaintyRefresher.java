package dev.rlhf.backend.activelearning;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rlhf.backend.config.RlhfConfig;
import dev.rlhf.backend.error.ProblemException;
import dev.rlhf.backend.rewardmodel.RewardModelWorkerClient;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.UUID;

/**
 * Keeps the model's certainty about open tasks current in campaigns that prefer uncertain pairs: on an interval,
 * asks the reward-model worker's latest version ({@code POST /api/active-learning}) about every open task it has
 * not scored yet, and stores |P(A>B) - 0.5| on the task, where the queue reads it. An N-way task gets the
 * certainty of its least certain pair. A task is scored once per version, so rounds without a new version or
 * new tasks make no calls to the model. Without a worker, or before its first version, tasks stay unscored and
 * the queue serves them fewest judgments first, as usual.
 */
@ApplicationScoped
public class CertaintyRefresher {

    private static final Logger LOG = Logger.getLogger(CertaintyRefresher.class);

    /** What one round did. */
    public record Round(Integer version, int campaigns, int tasksScored, int pairsSent) {
        static final Round NOTHING = new Round(null, 0, 0, 0);
    }

    private record PairRef(UUID task, int a, int b) {
    }

    private final UncertainTasks tasks;
    private final RewardModelWorkerClient worker;
    private final RlhfConfig.ActiveLearning config;
    private volatile String lastProblem;

    CertaintyRefresher(UncertainTasks tasks, RewardModelWorkerClient worker, RlhfConfig config) {
        this.tasks = tasks;
        this.worker = worker;
        this.config = config.activeLearning();
    }

    @Scheduled(every = "${rlhf.active-learning.refresh-interval:30s}", delayed = "10s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            Round round = refresh();
            if (round.tasksScored() > 0) {
                LOG.infof("active learning: reward model v%d scored %d open tasks (%d pairs) in %d campaign(s)",
                        round.version(), round.tasksScored(), round.pairsSent(), round.campaigns());
            }
            lastProblem = null;
        } catch (ProblemException e) {
            String problem = e.getMessage();
            if (!Objects.equals(problem, lastProblem)) {
                LOG.warnf("active learning: tasks keep their last certainty; the reward-model worker: %s", problem);
            }
            lastProblem = problem;
        } catch (SQLException e) {
            LOG.warnf("active learning: the database refused the round: %s", e.getMessage());
        }
    }

    /** One round over every campaign that prefers uncertain pairs; a worker problem is thrown as it came. */
    public Round refresh() throws SQLException {
        if (!worker.configured()) {
            return Round.NOTHING;
        }
        List<UUID> campaigns = tasks.campaigns();
        if (campaigns.isEmpty()) {
            return Round.NOTHING;
        }
        OptionalInt latest = latestVersion();
        if (latest.isEmpty()) {
            return Round.NOTHING;
        }
        int version = latest.getAsInt();
        int scored = 0, sent = 0;
        for (UUID campaign : campaigns) {
            List<UncertainTasks.OpenTask> open = tasks.notScoredBy(campaign, version, config.tasksPerRound());
            int from = 0;
            while (from < open.size()) {
                int to = from, pairs = 0;
                while (to < open.size() && (to == from || pairs + pairCount(open.get(to)) <= config.pairsPerCall())) {
                    pairs += pairCount(open.get(to++));
                }
                tasks.record(certainties(open.subList(from, to), version), version);
                scored += to - from;
                sent += pairs;
                from = to;
            }
        }
        return new Round(version, campaigns.size(), scored, sent);
    }

    /** The newest version in the worker's registry; empty before the first one is trained. */
    private OptionalInt latestVersion() {
        JsonNode versions = worker.get("/api/versions").body();
        OptionalInt latest = OptionalInt.empty();
        if (versions != null) {
            for (JsonNode row : versions) {
                if (row.path("version").canConvertToInt()) {
                    int v = row.path("version").asInt();
                    latest = latest.isPresent() && latest.getAsInt() >= v ? latest : OptionalInt.of(v);
                }
            }
        }
        return latest;
    }

    /** Asks the worker about every pair of the given tasks; a task's certainty is its least certain pair's. */
    private Map<UUID, Double> certainties(List<UncertainTasks.OpenTask> batch, int version) {
        Map<String, PairRef> refs = new HashMap<>();
        List<Map<String, Object>> pairs = new ArrayList<>();
        for (UncertainTasks.OpenTask task : batch) {
            int n = task.completions().size();
            for (int a = 0; a < n; a++) {
                for (int b = a + 1; b < n; b++) {
                    String pairId = task.id() + "/" + a + "/" + b;
                    refs.put(pairId, new PairRef(task.id(), a, b));
                    pairs.add(Map.of("pairId", pairId, "prompt", task.prompt(),
                            "a", side(task, a), "b", side(task, b)));
                }
            }
        }
        JsonNode answer = worker.post("/api/active-learning", Map.of("version", version, "pairs", pairs),
                config.callTimeout()).body();
        Map<UUID, Double> certainty = new HashMap<>();
        for (JsonNode entry : answer == null ? List.<JsonNode>of() : answer.path("pairs")) {
            PairRef ref = refs.get(entry.path("pairId").asText());
            if (ref != null && entry.path("certainty").isNumber()) {
                certainty.merge(ref.task(), entry.path("certainty").asDouble(), Math::min);
            }
        }
        if (certainty.size() != batch.size()) {
            throw new ProblemException(503, "Service unavailable", "the reward-model worker scored "
                    + certainty.size() + " of " + batch.size() + " tasks");
        }
        return certainty;
    }

    private static Map<String, Object> side(UncertainTasks.OpenTask task, int index) {
        return Map.of("completionId", task.completionIds().get(index), "text", task.completions().get(index));
    }

    private static int pairCount(UncertainTasks.OpenTask task) {
        int n = task.completions().size();
        return n * (n - 1) / 2;
    }
}
