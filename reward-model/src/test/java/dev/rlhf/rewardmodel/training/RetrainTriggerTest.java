package dev.rlhf.rewardmodel.training;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class RetrainTriggerTest {

    private static final Instant T = Instant.parse("2026-11-22T12:00:00Z");
    private static final Duration HALF_HOUR = Duration.ofMinutes(30);

    @Test
    void enoughNewJudgmentsTriggerAtOnce() {
        assertThat(ContinuousTraining.isDue(200, T, T.plusSeconds(1), 200, HALF_HOUR)).isTrue();
        assertThat(ContinuousTraining.isDue(199, T, T.plusSeconds(1), 200, HALF_HOUR)).isFalse();
    }

    @Test
    void timeTriggersOnlyWhenSomethingArrived() {
        assertThat(ContinuousTraining.isDue(1, T, T.plus(HALF_HOUR), 200, HALF_HOUR)).isTrue();
        assertThat(ContinuousTraining.isDue(1, T, T.plus(HALF_HOUR).minusSeconds(1), 200, HALF_HOUR)).isFalse();
        assertThat(ContinuousTraining.isDue(0, T, T.plus(Duration.ofDays(1)), 200, HALF_HOUR)).isFalse();
    }
}
