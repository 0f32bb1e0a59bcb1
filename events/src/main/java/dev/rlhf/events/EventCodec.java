package dev.rlhf.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.io.IOException;
import java.util.Map;

/**
 * JSON for events on the wire: UTF-8, ISO-8601 instants, UUIDs as strings.
 *
 * <p>Reading ignores fields it does not know (a newer minor version may add some) and refuses a
 * newer major version with {@link UnsupportedSchemaVersionException}. Thread-safe; share one.
 */
public final class EventCodec {

    /** What this code can read: each event type's record and the schema version it was written for. */
    private record Known(Class<? extends RlhfEvent> eventClass, SchemaVersion version) {
    }

    private static final Map<String, Known> TYPES = Map.of(
            JudgmentRecorded.TYPE, new Known(JudgmentRecorded.class, JudgmentRecorded.SCHEMA_VERSION),
            RewardModelPublished.TYPE, new Known(RewardModelPublished.class, RewardModelPublished.SCHEMA_VERSION),
            RewardScored.TYPE, new Known(RewardScored.class, RewardScored.SCHEMA_VERSION),
            PolicyPublished.TYPE, new Known(PolicyPublished.class, PolicyPublished.SCHEMA_VERSION));

    private final ObjectMapper mapper = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            // Instants keep their own offset (Z) instead of being shifted into this JVM's zone.
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .build();

    public byte[] encode(RlhfEvent event) {
        try {
            return mapper.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("could not write event " + event.id() + " as JSON: " + e.getMessage(), e);
        }
    }

    /** Reads any platform event; the {@code type} field picks the record. */
    public RlhfEvent decode(byte[] json) {
        JsonNode tree = readTree(json);
        String type = tree.path("type").asText(null);
        String id = tree.path("id").asText();
        Known known = TYPES.get(type);
        if (known == null) {
            throw new MalformedEventException("unknown event type '" + type + "' (id " + id + "); this code knows "
                    + TYPES.keySet());
        }
        // Before binding the payload: a newer major may have reshaped it, and the version is the
        // message a person can act on, not the binding error it would cause.
        SchemaVersion version;
        try {
            version = SchemaVersion.parse(tree.path("schemaVersion").asText(null));
        } catch (IllegalArgumentException e) {
            throw new MalformedEventException("event " + id + " of type " + type + ": " + e.getMessage(), e);
        }
        if (!known.version().canRead(version)) {
            throw new UnsupportedSchemaVersionException(type, id, version, known.version());
        }
        try {
            return mapper.treeToValue(tree, known.eventClass());
        } catch (JsonProcessingException e) {
            throw new MalformedEventException("event " + id + " of type " + type
                    + " does not match its schema: " + e.getOriginalMessage(), e);
        }
    }

    /** Reads an event that must be of the given type, as on a topic that carries one type. */
    public <E extends RlhfEvent> E decode(byte[] json, Class<E> expected) {
        RlhfEvent event = decode(json);
        if (!expected.isInstance(event)) {
            throw new MalformedEventException("expected a " + expected.getSimpleName() + " but event " + event.id()
                    + " is a " + event.type());
        }
        return expected.cast(event);
    }

    private JsonNode readTree(byte[] json) {
        if (json == null) {
            throw new MalformedEventException("a record without a value is not an event");
        }
        try {
            JsonNode tree = mapper.readTree(json);
            if (tree == null || !tree.isObject()) {
                throw new MalformedEventException("an event is a JSON object");
            }
            return tree;
        } catch (IOException e) {
            throw new MalformedEventException("not JSON: " + e.getMessage(), e);
        }
    }
}
