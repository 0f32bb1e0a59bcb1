package dev.rlhf.backend.judgment;

/** Problems a rater can report about a task, independent of the preference. */
public enum Flag {
    UNSAFE, BROKEN, OFF_TOPIC
}
