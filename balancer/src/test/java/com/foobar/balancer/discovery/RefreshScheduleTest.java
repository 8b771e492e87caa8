package com.foobar.balancer.discovery;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The rules of when a name is asked again, without a clock. */
class RefreshScheduleTest {
    private static final long S = 1_000_000_000L;
    private final RefreshSchedule schedule = new RefreshSchedule(Duration.ofSeconds(5), Duration.ofSeconds(1));

    @Test
    void aTtlLongerThanTheIntervalIsCappedByIt() {
        assertThat(schedule.afterAnswer(600)).as("Docker's TTL 600").isEqualTo(5 * S);
        assertThat(schedule.afterAnswer(86_400)).as("a hosts file entry").isEqualTo(5 * S);
        assertThat(schedule.afterAnswer(Long.MAX_VALUE)).isEqualTo(5 * S);
    }

    @Test
    void aTtlShorterThanTheIntervalBringsTheNextQueryForward() {
        assertThat(schedule.afterAnswer(3)).isEqualTo(3 * S);
    }

    @Test
    void noTtlBringsItSoonerThanTheFloor() {
        assertThat(schedule.afterAnswer(0)).isEqualTo(S);
        assertThat(new RefreshSchedule(Duration.ofSeconds(30), Duration.ofMillis(1500)).afterAnswer(1))
                .isEqualTo(1_500_000_000L);
    }

    @Test
    void theFloorWinsOverAnIntervalBelowIt() {
        // The loader refuses such a pool; a floor raised by a reload must still hold.
        assertThat(new RefreshSchedule(Duration.ofMillis(500), Duration.ofSeconds(1)).afterAnswer(0)).isEqualTo(S);
    }

    @Test
    void aFailedQueryIsAskedAgainAfterTheInterval() {
        assertThat(schedule.afterFailure()).isEqualTo(5 * S);
    }

    @Test
    void aConnectFailureAsksAtOnceButNotSoonerThanTheFloorAfterTheLastAnswer() {
        long lastAnswer = 100 * S;
        assertThat(schedule.afterConnectFailure(lastAnswer + 3 * S, lastAnswer, true)).isZero();
        assertThat(schedule.afterConnectFailure(lastAnswer + 300_000_000L, lastAnswer, true)).isEqualTo(700_000_000L);
    }

    @Test
    void aZeroIntervalResolvesOnceButKeepsAskingUntilTheFirstAnswer() {
        RefreshSchedule once = new RefreshSchedule(Duration.ZERO, Duration.ofSeconds(1));
        assertThat(once.once()).isTrue();
        assertThat(once.afterAnswer(1)).isEqualTo(RefreshSchedule.NEVER);
        assertThat(once.afterConnectFailure(10 * S, 0, true)).isEqualTo(RefreshSchedule.NEVER);
        assertThat(once.afterFailure()).isEqualTo(RefreshSchedule.UNTIL_FIRST_ANSWER.toNanos());
    }
}
