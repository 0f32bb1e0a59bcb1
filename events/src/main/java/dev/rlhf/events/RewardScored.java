package dev.rlhf.events;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.rlhf.events.model.RewardScore;

import java.time.Instant;
import java.util.UUID;

/** A reward model scored a completion; published to {@code rlhf.rewards}, keyed by completion id. */
public record RewardScored(UUID id, String type, String schemaVersion, Instant occurredAt, RewardScore payload)
        implements RlhfEvent {

    public static final String TYPE = "RewardScored";
    public static final SchemaVersion SCHEMA_VERSION = new SchemaVersion(1, 0);

    public RewardScored {
        Envelope.check(id, type, TYPE, schemaVersion, SCHEMA_VERSION, occurredAt, payload);
    }

    /**
     * A new event with a fresh id. Store the event (id included) before sending it, so a resend
     * after a failure carries the same id and consumers can absorb it.
     */
    public static RewardScored of(RewardScore payload, Instant occurredAt) {
        return new RewardScored(UUID.randomUUID(), TYPE, SCHEMA_VERSION.toString(), occurredAt, payload);
    }

    @JsonIgnore
    @Override
    public Topic topic() {
        return Topic.REWARDS;
    }

    @JsonIgnore
    @Override
    public String key() {
        return payload.completionId().toString();
    }
}
