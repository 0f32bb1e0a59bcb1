package dev.rlhf.events;

import java.time.Instant;
import java.util.UUID;

/**
 * An event on one of the platform's topics: an envelope ({@code id}, {@code type},
 * {@code schemaVersion}, {@code occurredAt}) around a typed payload.
 *
 * <p>The {@code id} is the idempotency key of the whole pipeline: a producer that retries sends the
 * same id again, and consumers store it with their result so a second copy changes nothing.
 */
public sealed interface RlhfEvent
        permits JudgmentRecorded, RewardModelPublished, RewardScored, PolicyPublished {

    UUID id();

    /** The event's name, for example {@code JudgmentRecorded}; selects the payload's shape. */
    String type();

    /** {@code MAJOR.MINOR} of the payload's shape; see {@link SchemaVersion}. */
    String schemaVersion();

    /** When the fact happened at its source (a judgment's submit, a model's publication). */
    Instant occurredAt();

    Object payload();

    /** The topic this event is published to. */
    Topic topic();

    /** The Kafka record key: events with the same key keep their order. */
    String key();
}
