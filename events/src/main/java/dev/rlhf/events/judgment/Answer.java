package dev.rlhf.events.judgment;

import java.util.List;
import java.util.Objects;

/**
 * The verdict part of a judgment: outcome, strength and ranking. It is the shape of a gold task's
 * expected answer, and {@link Judgment#answer()} gives the rater's own in the same shape, so a gold
 * check compares two values of one type (with or without strength, as the campaign decides).
 */
public record Answer(Outcome outcome, Integer strength, List<Integer> ranking) {

    public Answer {
        Objects.requireNonNull(outcome, "outcome");
        if (strength != null && (strength < 1 || strength > 3)) {
            throw new IllegalArgumentException("strength must be 1 (slightly), 2 (clearly) or 3 (much better), got "
                    + strength);
        }
        if (strength != null && outcome != Outcome.A && outcome != Outcome.B) {
            throw new IllegalArgumentException("strength applies to outcome A or B, not " + outcome);
        }
        if (outcome == Outcome.RANKING && ranking == null) {
            throw new IllegalArgumentException("outcome RANKING needs a ranking");
        }
        ranking = ranking == null ? null : List.copyOf(ranking);
    }

    /** Checks the answer against the number of completions it judges. */
    void requireFits(int completionCount, String field) {
        if (outcome != Outcome.RANKING && completionCount != 2) {
            throw new IllegalArgumentException(field + ": outcome " + outcome + " compares exactly 2 completions, got "
                    + completionCount + "; use RANKING");
        }
        if (ranking == null) {
            return;
        }
        if (ranking.size() != completionCount) {
            throw new IllegalArgumentException(field + ": ranking has " + ranking.size() + " ranks for "
                    + completionCount + " completions");
        }
        for (int rank : ranking) {
            if (rank < 1 || rank > completionCount) {
                throw new IllegalArgumentException(field + ": ranks go from 1 (best) to " + completionCount
                        + ", got " + rank);
            }
        }
    }
}
