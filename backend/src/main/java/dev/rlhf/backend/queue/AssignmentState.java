package dev.rlhf.backend.queue;

/** LEASED is the only open state; the others are final. */
public enum AssignmentState {
    LEASED, SUBMITTED, SKIPPED, RELEASED, EXPIRED
}
