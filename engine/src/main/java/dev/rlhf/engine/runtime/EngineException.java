package dev.rlhf.engine.runtime;

/** A failure of the engine that callers cannot fix by retrying: bad graph, missing provider, non-finite values. */
public class EngineException extends RuntimeException {
    public EngineException(String message) {
        super(message);
    }

    public EngineException(String message, Throwable cause) {
        super(message, cause);
    }
}
