package dev.rlhf.backend.task;

import java.util.List;

/**
 * The known answer of a gold task, in canonical order: a pairwise {@code choice}, or for N-way tasks a
 * {@code ranking} holding each completion's rank (1 = best).
 */
public record GoldAnswer(Outcome choice, List<Integer> ranking) {

    /** Whether a judgment agrees with this answer; strength is not part of agreement. */
    public boolean matches(Outcome outcome, List<Integer> judgedRanking) {
        if (ranking != null) {
            return outcome == Outcome.RANKING && ranking.equals(judgedRanking);
        }
        return choice == outcome;
    }
}
