package dev.rlhf.events;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.rlhf.events.model.PolicyVersion;

import java.time.Instant;
import java.util.UUID;

/** A policy version is complete in the registry; published to {@code rlhf.policies}, keyed by policy id. */
public record PolicyPublished(UUID id, String type, String schemaVersion, Instant occurredAt, PolicyVersion payload)
        implements RlhfEvent {

    public static final String TYPE = "PolicyPublished";
    public static final SchemaVersion SCHEMA_VERSION = new SchemaVersion(1, 0);

    public PolicyPublished {
        Envelope.check(id, type, TYPE, schemaVersion, SCHEMA_VERSION, occurredAt, payload);
    }

    /**
     * A new event with a fresh id. Store the event (id included) before sending it, so a resend
     * after a failure carries the same id and consumers can absorb it.
     */
    public static PolicyPublished of(PolicyVersion payload, Instant occurredAt) {
        return new PolicyPublished(UUID.randomUUID(), TYPE, SCHEMA_VERSION.toString(), occurredAt, payload);
    }

    @JsonIgnore
    @Override
    public Topic topic() {
        return Topic.POLICIES;
    }

    @JsonIgnore
    @Override
    public String key() {
        return payload.policyId();
    }
}
