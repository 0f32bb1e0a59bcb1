package dev.rlhf.events;

/** Bytes on a topic that are not a valid platform event: not JSON, an unknown type, or a broken payload. */
public class MalformedEventException extends IllegalArgumentException {

    public MalformedEventException(String message) {
        super(message);
    }

    public MalformedEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
