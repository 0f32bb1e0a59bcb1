package dev.rlhf.events.model;

import java.util.Map;
import java.util.Objects;

/**
 * A policy version now readable in the registry, ready to be hot-swapped into serving.
 *
 * @param policyId the policy's id (the Kafka key), stable across versions
 * @param version increasing per policy id
 * @param registryPath the version's folder, {@code <root>/policies/<version>/}, complete when this is published
 * @param method how it was trained: {@code SFT}, {@code DPO}, {@code IPO}, {@code PPO} or {@code GRPO}
 * @param metrics evaluation, for example mean reward or win rate against the previous version
 */
public record PolicyVersion(String policyId, int version, String registryPath, String method, Lineage lineage,
                            Map<String, Double> metrics) {

    public PolicyVersion {
        Objects.requireNonNull(policyId, "policyId");
        Objects.requireNonNull(registryPath, "registryPath");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(lineage, "lineage");
        metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
    }
}
