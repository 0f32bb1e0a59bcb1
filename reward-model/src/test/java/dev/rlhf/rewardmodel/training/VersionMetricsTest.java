package dev.rlhf.rewardmodel.training;

import dev.rlhf.rewardmodel.dataset.LabelledPair;
import dev.rlhf.rewardmodel.dataset.PairKind;
import dev.rlhf.rewardmodel.dataset.PairOrigin;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class VersionMetricsTest {

    private static final UUID X = new UUID(0, 1), Y = new UUID(0, 2), Z = new UUID(0, 3);

    @Test
    void accuracyCountsPairsWhoseChosenScoresHigher() {
        Map<UUID, Double> rewards = Map.of(X, 2.0, Y, 1.0, Z, 3.0);
        assertThat(VersionMetrics.accuracy(List.of(pair(X, Y), pair(Z, X), pair(Y, Z)), rewards))
                .isEqualTo(2.0 / 3, within(1e-12));
    }

    @Test
    void eceOfAConstantConfidenceIsItsDistanceFromTheHitRate() {
        double d = Math.log(0.85 / 0.15);   // σ(d) = 0.85, away from bin edges
        // 3 right, 2 wrong. Orientations: (0.85, won)x3, (0.15, lost)x3, (0.15, won)x2, (0.85, lost)x2:
        // bin of 0.85 holds 5 with 3 wins: |0.6 - 0.85| = 0.25; bin of 0.15 holds 5 with 2 wins: |0.4 - 0.15| = 0.25.
        assertThat(Calibration.expectedCalibrationError(new double[] {d, d, d, -d, -d}, 10)).isEqualTo(0.25, within(1e-12));
        // 17 of 20 right at 0.85: calibrated.
        double[] calibrated = new double[20];
        java.util.Arrays.fill(calibrated, d);
        calibrated[0] = calibrated[1] = calibrated[2] = -d;
        assertThat(Calibration.expectedCalibrationError(calibrated, 10)).isEqualTo(0.0, within(1e-12));
    }

    @Test
    void majorityAgreementComparesTheModelWithTheStrictMajorityPerCompletionPair() {
        Map<UUID, Double> rewards = Map.of(X, 2.0, Y, 1.0, Z, 0.0);
        // {X,Y}: 2 votes X, 1 vote Y -> majority X, model agrees. {Y,Z}: 1-1 -> no majority.
        // {X,Z}: 2 votes Z -> model disagrees.
        double[] agreement = VersionMetrics.majorityAgreement(List.of(pair(X, Y), pair(X, Y), pair(Y, X),
                pair(Y, Z), pair(Z, Y), pair(Z, X), pair(Z, X)), rewards);
        assertThat(agreement).containsExactly(0.5, 2.0);
    }

    @Test
    void gold_accuracy_isMeasuredOnTheKnownAnswersAndIsNaNWithoutGoldTasks() {
        Map<String, Double> m = VersionMetrics.of(List.of(pair(X, Y)), List.of(), Map.of(X, 1.0, Y, 0.0));
        assertThat(m.get(VersionMetrics.GOLD_ACCURACY)).isNaN();
        assertThat(m.get(VersionMetrics.VALIDATION_ACCURACY)).isEqualTo(1.0);
        assertThat(m.get(VersionMetrics.VALIDATION_MARGIN)).isEqualTo(1.0);
    }

    static LabelledPair pair(UUID chosen, UUID rejected) {
        return new LabelledPair(UUID.randomUUID(), "p", "r", "prompt", chosen, "c", rejected, "r", null,
                PairKind.PAIRWISE, PairOrigin.RATER, false, List.of());
    }
}
