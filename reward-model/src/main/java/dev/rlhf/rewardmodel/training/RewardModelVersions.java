package dev.rlhf.rewardmodel.training;

import dev.rlhf.engine.runtime.Engine;
import dev.rlhf.events.RewardModelPublished;
import dev.rlhf.events.model.Lineage;
import dev.rlhf.events.model.RewardModelVersion;
import dev.rlhf.rewardmodel.config.RewardModelConfig;
import dev.rlhf.rewardmodel.dataset.DatasetSnapshot;
import dev.rlhf.rewardmodel.dataset.SnapshotReader;
import dev.rlhf.rewardmodel.publish.EventOutbox;
import dev.rlhf.rewardmodel.registry.RewardModelRegistry;
import dev.rlhf.rewardmodel.registry.VersionFiles;
import dev.rlhf.rewardmodel.registry.VersionMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Makes reward-model versions: snapshot the dataset, train (warm-started from the latest version when
 * there is one), write the version into the registry, announce it on {@code rlhf.reward-models}.
 * One run at a time.
 */
@ApplicationScoped
public class RewardModelVersions {

    private static final Logger LOG = Logger.getLogger(RewardModelVersions.class);

    private final RewardModelConfig config;
    private final SnapshotReader snapshots;
    private final EventOutbox outbox;
    private final Engine engine;
    private final RewardModelRegistry registry;
    private final RewardModelMetrics metrics;
    private final ReentrantLock running = new ReentrantLock();
    private final java.util.concurrent.ExecutorService background = java.util.concurrent.Executors.newSingleThreadExecutor(
            r -> new Thread(r, "reward-model-training"));
    private volatile String lastFailure;
    private volatile Thread trainingThread;

    RewardModelVersions(RewardModelConfig config, SnapshotReader snapshots, EventOutbox outbox, Engine engine,
                        RewardModelMetrics metrics) {
        this.config = config;
        this.snapshots = snapshots;
        this.outbox = outbox;
        this.engine = engine;
        this.metrics = metrics;
        this.registry = new RewardModelRegistry(config.registryRoot());
        registry.latest().ifPresent(metrics::record);
    }

    public RewardModelRegistry registry() {
        return registry;
    }

    public boolean isTraining() {
        return running.isLocked();
    }

    /** Why the last run failed, if it did (cleared by a successful run). */
    public Optional<String> lastFailure() {
        return Optional.ofNullable(lastFailure);
    }

    /**
     * Starts a run on the worker's training thread and returns at once; false if a run is going.
     * The outcome shows in the registry, or in {@link #lastFailure()}.
     */
    public boolean startTraining() {
        if (isTraining()) return false;
        background.submit(() -> {
            try {
                trainNow();
            } catch (TooFewPairsException e) {
                // Expected while judgments are few: the reason, not a stack trace (it is also in lastFailure).
                LOG.warnf("training run not started: %s", e.getMessage());
            } catch (RuntimeException e) {
                LOG.errorf(e, "training run failed");
            }
        });
        return true;
    }

    /** Stops a run in progress between two steps (nothing is published), so shutdown does not wait for it. */
    void stop(@jakarta.enterprise.event.Observes io.quarkus.runtime.ShutdownEvent shutdown) {
        background.shutdownNow();
        Thread trainer = trainingThread;
        if (trainer != null) trainer.interrupt();
    }

    /**
     * Trains and publishes a version now, or returns empty if a run is already going.
     *
     * @throws TooFewPairsException when fewer than {@code min-pairs} training pairs are usable
     * @throws IllegalStateException when no base model is configured
     */
    public Optional<VersionMetadata> trainNow() {
        if (!running.tryLock()) return Optional.empty();
        trainingThread = Thread.currentThread();
        try {
            VersionMetadata made = train();
            lastFailure = null;
            return Optional.of(made);
        } catch (RuntimeException e) {
            lastFailure = e.getMessage();
            throw e;
        } finally {
            trainingThread = null;
            running.unlock();
        }
    }

    private VersionMetadata train() {
        Path baseModel = config.training().baseModel().orElseThrow(() -> new IllegalStateException(
                "no base model: set rlhf.reward-model.training.base-model to a Hugging Face folder or a .gguf file"));
        TrainingSettings settings = TrainingSettings.from(config);
        DatasetSnapshot snapshot = snapshots.read();
        TrainingData data = TrainingData.of(snapshot, settings);
        if (data.train().size() < config.training().minPairs()) {
            throw new TooFewPairsException("only " + data.train().size() + " training pairs are usable (of "
                    + snapshot.raterPairs().size() + " rater pairs); at least " + config.training().minPairs()
                    + " (rlhf.reward-model.training.min-pairs) are needed");
        }
        Optional<VersionMetadata> previous = registry.latest();
        boolean warm = config.training().warmStart() && previous.isPresent();
        Path startFrom = warm ? registry.path(previous.get().version()) : baseModel;
        int version = registry.nextVersion();
        LOG.infof("training reward model %s version %d on %d pairs (%d validation) from %s", config.modelId(), version,
                data.train().size(), data.validation().size(), startFrom);
        long started = System.nanoTime();
        try (StartingPoint start = StartingPoint.load(startFrom)) {
            TrainedRewardModel trained = new RewardModelTrainer(engine, settings).train(data, start,
                    p -> LOG.infof("version %d step %d epoch %d loss %.4f validation accuracy %.4f%s", version, p.step(),
                            p.epoch(), p.trainLoss(), p.validationAccuracy(), p.best() ? " (best)" : ""));
            Map<String, Double> finite = new LinkedHashMap<>();
            trained.metrics().forEach((k, v) -> {
                if (Double.isFinite(v)) finite.put(k, v);
            });
            String base = warm ? previous.get().baseModel() : start.source();
            Lineage lineage = new Lineage(snapshot.offsets(), data.usedJudgments().size(), base, null,
                    settings.asLineage());
            VersionMetadata metadata = new VersionMetadata(config.modelId(), version, Instant.now(), base,
                    warm ? previous.get().version() : null,
                    start.encoder().encoding(),
                    settings.maxLength(), lineage, snapshot.judgmentIds(), new ArrayList<>(data.usedJudgments()),
                    snapshot.latestSeq(), finite, trained.history());
            Path folder = registry.publish(metadata, dir -> VersionFiles.write(dir, start, trained, Map.of(
                    "rlhf.model_id", config.modelId(), "rlhf.version", Integer.toString(version), "rlhf.base_model", base)));
            outbox.add(List.of(RewardModelPublished.of(new RewardModelVersion(config.modelId(), version,
                    folder.toString(), lineage, finite), metadata.createdAt())));
            outbox.relay();
            metrics.record(metadata);
            metrics.trainingTook(System.nanoTime() - started);
            LOG.infof("reward model %s version %d published at %s: %s", config.modelId(), version, folder, finite);
            return metadata;
        } catch (IOException e) {
            throw new IllegalStateException("writing reward model version " + version + " failed: " + e.getMessage(), e);
        }
    }
}
