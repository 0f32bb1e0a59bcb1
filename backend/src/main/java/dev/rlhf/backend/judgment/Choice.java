package dev.rlhf.backend.judgment;

/** A pairwise choice as the rater made it, in display terms: A is what they saw first. */
public enum Choice {
    A, B, TIE, BOTH_BAD
}
