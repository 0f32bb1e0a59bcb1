package dev.rlhf.rewardmodel.dataset;

import dev.rlhf.events.judgment.Answer;
import dev.rlhf.events.judgment.Completion;
import dev.rlhf.events.judgment.Judgment;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns a verdict into preference pairs. A or B gives one pair with the rater's strength. A ranking
 * gives one pair per two completions of different rank, the better-ranked one chosen, with the rank gap
 * (capped at 3) as strength: ranks 1 and 3 differ more than 1 and 2. Completions of equal rank give no
 * pair. TIE and BOTH_BAD give none: they carry no preference (they stay in the judgment table).
 */
public final class PairExpansion {

    /** The strongest strength the rating scale has. */
    static final int MAX_STRENGTH = 3;

    private PairExpansion() {
    }

    /** Pairs of the rater's verdict and, for a gold task, of its known answer. */
    public static List<PreferencePair> of(Judgment judgment) {
        List<PreferencePair> pairs = new ArrayList<>(expand(judgment.answer(), judgment.completions(), PairOrigin.RATER));
        if (judgment.gold() && judgment.goldAnswer() != null) {
            pairs.addAll(expand(judgment.goldAnswer(), judgment.completions(), PairOrigin.GOLD_ANSWER));
        }
        return pairs;
    }

    static List<PreferencePair> expand(Answer answer, List<Completion> completions, PairOrigin origin) {
        return switch (answer.outcome()) {
            case A -> List.of(new PreferencePair(completions.get(0).completionId(), completions.get(1).completionId(),
                    answer.strength(), PairKind.PAIRWISE, origin));
            case B -> List.of(new PreferencePair(completions.get(1).completionId(), completions.get(0).completionId(),
                    answer.strength(), PairKind.PAIRWISE, origin));
            case TIE, BOTH_BAD -> List.of();
            case RANKING -> ranked(answer.ranking(), completions, origin);
        };
    }

    private static List<PreferencePair> ranked(List<Integer> ranking, List<Completion> completions, PairOrigin origin) {
        List<PreferencePair> pairs = new ArrayList<>();
        for (int i = 0; i < completions.size(); i++) {
            for (int j = 0; j < completions.size(); j++) {
                int gap = ranking.get(j) - ranking.get(i);
                if (gap > 0) {   // i ranked strictly better (a smaller rank number) than j
                    pairs.add(new PreferencePair(completions.get(i).completionId(), completions.get(j).completionId(),
                            Math.min(gap, MAX_STRENGTH), PairKind.RANKING, origin));
                }
            }
        }
        return pairs;
    }
}
