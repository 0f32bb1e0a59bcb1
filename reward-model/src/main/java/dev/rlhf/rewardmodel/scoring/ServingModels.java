package dev.rlhf.rewardmodel.scoring;

import dev.rlhf.engine.runtime.Engine;
import dev.rlhf.rewardmodel.registry.VersionMetadata;
import dev.rlhf.rewardmodel.training.RewardModelVersions;
import dev.rlhf.rewardmodel.web.ProblemException;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.LinkedHashMap;
import java.util.Map;

/** Loaded versions for scoring, the few most recently used kept open. */
@ApplicationScoped
public class ServingModels {

    private static final int KEEP = 3;

    private final Engine engine;
    private final RewardModelVersions versions;
    private final Map<Integer, ServingModel> loaded = new LinkedHashMap<>(8, 0.75f, true);

    ServingModels(Engine engine, RewardModelVersions versions) {
        this.engine = engine;
        this.versions = versions;
    }

    /** A loaded version held for one scoring call: close it when the call is done. */
    public record Lease(ServingModel model, Runnable onClose) implements AutoCloseable {
        @Override
        public void close() {
            onClose.run();
        }
    }

    /**
     * The given version, or the latest when {@code version} is null, held until the lease is closed (an
     * evicted version is closed only when its last lease is).
     */
    public synchronized Lease acquire(Integer version) {
        ServingModel model = get(version);
        if (!model.acquire()) throw new IllegalStateException("reward model version " + model.version() + " was closed");
        return new Lease(model, model::release);
    }

    private ServingModel get(Integer version) {
        VersionMetadata metadata = version == null
                ? versions.registry().latest().orElseThrow(() -> ProblemException.notFound(
                        "no reward model version exists yet"))
                : versions.registry().version(version).orElseThrow(() -> ProblemException.notFound(
                        "reward model version " + version + " does not exist"));
        ServingModel model = loaded.get(metadata.version());
        if (model == null) {
            model = load(metadata);
            loaded.put(metadata.version(), model);
            if (loaded.size() > KEEP) {
                var eldest = loaded.entrySet().iterator().next();
                eldest.getValue().retire();
                loaded.remove(eldest.getKey());
            }
        }
        return model;
    }

    private ServingModel load(VersionMetadata metadata) {
        return ServingModel.open(engine, versions.registry().path(metadata.version()), metadata);
    }

    synchronized void close(@Observes ShutdownEvent shutdown) {
        loaded.values().forEach(ServingModel::retire);
        loaded.clear();
    }
}
