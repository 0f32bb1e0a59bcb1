package dev.rlhf.backend.task;

/**
 * A judgment's result in canonical order: A and B are the task's first and second completions, not
 * what the rater saw on the left or right. RANKING is an N-way judgment whose ranks are stored aside.
 */
public enum Outcome {
    A, B, TIE, BOTH_BAD, RANKING;

    public boolean prefersOne() {
        return this == A || this == B;
    }
}
