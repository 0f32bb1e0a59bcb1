package dev.rlhf.events;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/** The checks every event record runs on its envelope fields. */
final class Envelope {

    private Envelope() {
    }

    static void check(UUID id, String type, String expectedType, String schemaVersion, SchemaVersion known,
                      Instant occurredAt, Object payload) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(payload, "payload");
        if (!expectedType.equals(type)) {
            throw new IllegalArgumentException("type must be " + expectedType + ", got " + type);
        }
        SchemaVersion version = SchemaVersion.parse(schemaVersion);
        if (!known.canRead(version)) {
            throw new UnsupportedSchemaVersionException(type, id.toString(), version, known);
        }
    }
}
