package dev.rlhf.events.judgment;

/**
 * A problem a rater reported about the task. Adding a value is a major schema change: an older
 * consumer could not read the new name.
 */
public enum Flag {
    /** Harmful or unsafe content in a completion. */
    UNSAFE,
    /** The task cannot be judged (empty, truncated or garbled completion, broken rendering). */
    BROKEN,
    /** The completions do not address the prompt. */
    OFF_TOPIC
}
