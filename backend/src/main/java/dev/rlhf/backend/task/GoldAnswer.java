package dev.rlhf.backend.task;

import java.util.List;

/**
 * The known answer of a gold task, in canonical order: a pairwise {@code choice}, or for N-way tasks a
 * {@code ranking} holding each completion's rank (1 = best).
 */
public record GoldAnswer(Outcome choice, List<Integer> ranking) {

    /** This answer as a judgment would store it: a ranking in dense ranks ({@link Ranking#dense}). */
    public GoldAnswer withDenseRanks() {
        return ranking == null ? this : new GoldAnswer(choice, Ranking.dense(ranking));
    }

    /**
     * Whether a judgment agrees with this answer; strength is not part of agreement. Both rankings are compared as
     * dense ranks: gold rankings stored before they were normalised may read 1, 3, 3, 4.
     */
    public boolean matches(Outcome outcome, List<Integer> judgedRanking) {
        if (ranking != null) {
            return outcome == Outcome.RANKING && judgedRanking != null
                    && Ranking.dense(ranking).equals(Ranking.dense(judgedRanking));
        }
        return choice == outcome;
    }
}
