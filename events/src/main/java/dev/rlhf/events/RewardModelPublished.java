package dev.rlhf.events;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.rlhf.events.model.RewardModelVersion;

import java.time.Instant;
import java.util.UUID;

/** A reward model version is complete in the registry; published to {@code rlhf.reward-models}, keyed by model id. */
public record RewardModelPublished(UUID id, String type, String schemaVersion, Instant occurredAt, RewardModelVersion payload)
        implements RlhfEvent {

    public static final String TYPE = "RewardModelPublished";
    public static final SchemaVersion SCHEMA_VERSION = new SchemaVersion(1, 0);

    public RewardModelPublished {
        Envelope.check(id, type, TYPE, schemaVersion, SCHEMA_VERSION, occurredAt, payload);
    }

    /**
     * A new event with a fresh id. Store the event (id included) before sending it, so a resend
     * after a failure carries the same id and consumers can absorb it.
     */
    public static RewardModelPublished of(RewardModelVersion payload, Instant occurredAt) {
        return new RewardModelPublished(UUID.randomUUID(), TYPE, SCHEMA_VERSION.toString(), occurredAt, payload);
    }

    @JsonIgnore
    @Override
    public Topic topic() {
        return Topic.REWARD_MODELS;
    }

    @JsonIgnore
    @Override
    public String key() {
        return payload.modelId();
    }
}
