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

    /** The given version, or the latest when {@code version} is null. */
    public synchronized ServingModel get(Integer version) {
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
                eldest.getValue().close();
                loaded.remove(eldest.getKey());
            }
        }
        return model;
    }

    private ServingModel load(VersionMetadata metadata) {
        return ServingModel.open(engine, versions.registry().path(metadata.version()), metadata);
    }

    synchronized void close(@Observes ShutdownEvent shutdown) {
        loaded.values().forEach(ServingModel::close);
        loaded.clear();
    }
}
