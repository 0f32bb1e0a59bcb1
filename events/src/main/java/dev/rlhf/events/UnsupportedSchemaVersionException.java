package dev.rlhf.events;

/**
 * An event written with a major schema version this code does not know. Consumers stop on it rather
 * than skip it: skipping would silently drop data, and reading it as the old shape would misread it.
 */
public class UnsupportedSchemaVersionException extends IllegalArgumentException {

    public UnsupportedSchemaVersionException(String type, String id, SchemaVersion found, SchemaVersion known) {
        super("event " + id + " of type " + type + " has schemaVersion " + found + ", but this code reads "
                + known.major() + ".x; upgrade rlhf-events in this service to a version that knows "
                + found.major() + ".x");
    }
}
