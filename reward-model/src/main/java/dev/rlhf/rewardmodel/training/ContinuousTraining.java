package dev.rlhf.rewardmodel.training;

import dev.rlhf.rewardmodel.config.RewardModelConfig;
import dev.rlhf.rewardmodel.dataset.DatasetQueries;
import dev.rlhf.rewardmodel.registry.VersionMetadata;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Retrains on its own: when {@code retrain-after-judgments} judgments arrived since the latest version,
 * or {@code retrain-after} passed since it (or since start, before the first) and at least one arrived.
 */
@ApplicationScoped
public class ContinuousTraining {

    private static final Logger LOG = Logger.getLogger(ContinuousTraining.class);

    private final RewardModelConfig config;
    private final RewardModelVersions versions;
    private final DatasetQueries dataset;
    private final Instant started = Instant.now();
    private volatile long lastTooFewSeq = -1;

    ContinuousTraining(RewardModelConfig config, RewardModelVersions versions, DatasetQueries dataset) {
        this.config = config;
        this.versions = versions;
        this.dataset = dataset;
    }

    @Scheduled(every = "${rlhf.reward-model.training.check-interval}", delayed = "${rlhf.reward-model.training.check-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void check() {
        if (!config.training().continuous() || config.training().baseModel().isEmpty()) return;
        Optional<VersionMetadata> latest = versions.registry().latest();
        long seenSeq = latest.map(VersionMetadata::datasetSeq).orElse(0L);
        long arrived = dataset.judgmentsAfter(seenSeq);
        if (!isDue(arrived, latest.map(VersionMetadata::createdAt).orElse(started), Instant.now(),
                config.training().retrainAfterJudgments(), config.training().retrainAfter())) {
            return;
        }
        long newest = dataset.latestSeq();
        if (newest == lastTooFewSeq) return;   // nothing new since the dataset was found too small
        try {
            versions.trainNow();
        } catch (TooFewPairsException e) {
            lastTooFewSeq = newest;
            LOG.infof("not retraining yet: %s", e.getMessage());
        } catch (RuntimeException e) {
            LOG.errorf(e, "retraining failed; the next check tries again");
        }
    }

    /**
     * @param arrived judgments since the latest version
     * @param since   when the latest version was made (the worker's start before the first)
     */
    static boolean isDue(long arrived, Instant since, Instant now, int afterJudgments, Duration after) {
        if (arrived <= 0) return false;
        return arrived >= afterJudgments || Duration.between(since, now).compareTo(after) >= 0;
    }
}
