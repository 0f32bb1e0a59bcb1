package dev.rlhf.rewardmodel.dataset;

import dev.rlhf.events.judgment.Answer;
import dev.rlhf.events.judgment.Outcome;
import dev.rlhf.rewardmodel.support.Judgments;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.rlhf.rewardmodel.support.Judgments.completionId;
import static org.assertj.core.api.Assertions.assertThat;

class PairExpansionTest {

    @Test
    void choiceOfBMakesBTheChosenWithTheRatersStrength() {
        var pairs = PairExpansion.of(Judgments.pairwise(1, "p", "a", "b", Outcome.B, 3).payload());
        assertThat(pairs).containsExactly(
                new PreferencePair(completionId("b"), completionId("a"), 3, PairKind.PAIRWISE, PairOrigin.RATER));
    }

    @Test
    void tiesAndBothBadMakeNoPairs() {
        assertThat(PairExpansion.of(Judgments.pairwise(1, "p", "a", "b", Outcome.TIE, null).payload())).isEmpty();
        assertThat(PairExpansion.of(Judgments.pairwise(2, "p", "a", "b", Outcome.BOTH_BAD, null).payload())).isEmpty();
    }

    @Test
    void rankingExpandsToEveryOrderedPairOfDistinctRanksWithTheGapAsStrength() {
        // ranks: w=1, x=2, y=2 (tie, no pair between them), z=4
        var pairs = PairExpansion.of(Judgments.ranking(1, "p", List.of("w", "x", "y", "z"), List.of(1, 2, 2, 4)).payload());
        assertThat(pairs).containsExactlyInAnyOrder(
                new PreferencePair(completionId("w"), completionId("x"), 1, PairKind.RANKING, PairOrigin.RATER),
                new PreferencePair(completionId("w"), completionId("y"), 1, PairKind.RANKING, PairOrigin.RATER),
                new PreferencePair(completionId("w"), completionId("z"), 3, PairKind.RANKING, PairOrigin.RATER),
                new PreferencePair(completionId("x"), completionId("z"), 2, PairKind.RANKING, PairOrigin.RATER),
                new PreferencePair(completionId("y"), completionId("z"), 2, PairKind.RANKING, PairOrigin.RATER));
    }

    @Test
    void goldTaskGivesTheRatersPairAndTheKnownAnswersPairSeparately() {
        var pairs = PairExpansion.of(Judgments.gold(1, "p", "a", "b", Outcome.A, new Answer(Outcome.B, 2, null)).payload());
        assertThat(pairs).containsExactly(
                new PreferencePair(completionId("a"), completionId("b"), 1, PairKind.PAIRWISE, PairOrigin.RATER),
                new PreferencePair(completionId("b"), completionId("a"), 2, PairKind.PAIRWISE, PairOrigin.GOLD_ANSWER));
    }
}
