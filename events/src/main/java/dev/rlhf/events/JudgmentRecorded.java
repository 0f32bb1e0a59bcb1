package dev.rlhf.events;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.rlhf.events.judgment.Judgment;

import java.time.Instant;
import java.util.UUID;

/** A rater submitted a judgment; published to {@code rlhf.judgments}, keyed by the comparison task id. */
public record JudgmentRecorded(UUID id, String type, String schemaVersion, Instant occurredAt, Judgment payload)
        implements RlhfEvent {

    public static final String TYPE = "JudgmentRecorded";
    public static final SchemaVersion SCHEMA_VERSION = new SchemaVersion(1, 0);

    public JudgmentRecorded {
        Envelope.check(id, type, TYPE, schemaVersion, SCHEMA_VERSION, occurredAt, payload);
    }

    /**
     * A new event with a fresh id. Store the event (id included) before sending it, so a resend
     * after a failure carries the same id and consumers can absorb it.
     */
    public static JudgmentRecorded of(Judgment payload, Instant occurredAt) {
        return new JudgmentRecorded(UUID.randomUUID(), TYPE, SCHEMA_VERSION.toString(), occurredAt, payload);
    }

    @JsonIgnore
    @Override
    public Topic topic() {
        return Topic.JUDGMENTS;
    }

    @JsonIgnore
    @Override
    public String key() {
        return payload.taskId().toString();
    }
}
