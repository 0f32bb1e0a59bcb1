package dev.rlhf.events;

/**
 * A payload's schema version, written {@code MAJOR.MINOR}.
 *
 * <p>A minor bump adds optional fields: older consumers ignore them, so they keep working. A major
 * bump changes the meaning or the shape of existing fields: a consumer refuses a major it does not
 * know instead of materialising data it would misread.
 */
public record SchemaVersion(int major, int minor) {

    public SchemaVersion {
        if (major < 1 || minor < 0) {
            throw new IllegalArgumentException("schema version must be MAJOR.MINOR with MAJOR >= 1, got "
                    + major + "." + minor);
        }
    }

    public static SchemaVersion parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("schemaVersion is missing");
        }
        String[] parts = text.split("\\.");
        try {
            if (parts.length == 2) {
                return new SchemaVersion(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
            }
        } catch (NumberFormatException e) {
            // falls through to the message below
        }
        throw new IllegalArgumentException("schemaVersion must look like 1.0, got '" + text + "'");
    }

    /** Whether a consumer built for {@code this} version can read an event written with {@code other}. */
    public boolean canRead(SchemaVersion other) {
        return other.major == major;
    }

    @Override
    public String toString() {
        return major + "." + minor;
    }
}
