package dev.rlhf.events.model;

import java.util.Map;
import java.util.Objects;

/**
 * A reward model version now readable in the registry.
 *
 * @param modelId the reward model's id (the Kafka key), stable across versions
 * @param version increasing per model id
 * @param registryPath the version's folder, {@code <root>/reward-models/<version>/}, complete when this is published
 * @param metrics held-out evaluation, for example {@code accuracy} and {@code margin}
 */
public record RewardModelVersion(String modelId, int version, String registryPath, Lineage lineage,
                                 Map<String, Double> metrics) {

    public RewardModelVersion {
        Objects.requireNonNull(modelId, "modelId");
        Objects.requireNonNull(registryPath, "registryPath");
        Objects.requireNonNull(lineage, "lineage");
        metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
    }

    public ModelVersionRef ref() {
        return new ModelVersionRef(modelId, version);
    }
}
