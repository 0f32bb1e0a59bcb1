package dev.rlhf.events.judgment;

/** The rater's verdict. A and B are the first and second completion in the event's canonical order. */
public enum Outcome {
    /** completions[0] is better. */
    A,
    /** completions[1] is better. */
    B,
    /** Both are equally good. */
    TIE,
    /** Neither is acceptable: no preference signal, but both are negatives. */
    BOTH_BAD,
    /** More than two completions, ordered by {@code ranking}. */
    RANKING
}
