package dev.rlhf.rewardmodel.registry;

import java.time.Instant;
import java.util.Map;

/** One row of the version table: what the research console lists and charts. */
public record VersionSummary(String modelId, int version, Instant createdAt, String baseModel, Integer warmStartedFrom,
                             int judgmentsSeen, long judgmentsUsed, Map<String, Double> metrics) {

    public static VersionSummary of(VersionMetadata m) {
        return new VersionSummary(m.modelId(), m.version(), m.createdAt(), m.baseModel(), m.warmStartedFrom(),
                m.judgmentIds().size(), m.lineage().judgmentCount(), m.metrics());
    }
}
