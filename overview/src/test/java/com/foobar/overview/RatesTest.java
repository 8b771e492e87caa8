package com.foobar.overview;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RatesTest {
    private static final double[] BOUNDS = {0.001, 0.005, 0.01, 0.05};

    @Test
    void aRateIsTheDifferenceOverTheTimeBetweenReadings() {
        assertThat(Rates.perSecond(100, 150, 0.5)).isEqualTo(100.0);
        assertThat(Rates.perSecond(100, 100, 0.5)).isZero();
    }

    @Test
    void aCounterThatWentDownCountsFromZeroAsAfterARestart() {
        assertThat(Rates.perSecond(1000, 30, 1)).isEqualTo(30.0);
    }

    @Test
    void noEarlierReadingOrNoTimeGivesZeroNotInfinity() {
        assertThat(Rates.perSecond(0, 10, 0)).isZero();
    }

    @Test
    void theQuantileIsInterpolatedInsideItsBucketFromTheDifferenceOfTwoReadings() {
        long[] before = {10, 10, 10, 10};
        // 100 new observations: 50 at or under 1 ms, 40 in (1, 5] ms, 10 in (5, 10] ms.
        long[] now = {60, 100, 110, 110};
        assertThat(Rates.quantile(0.5, BOUNDS, before, now, 10, 110)).isCloseTo(0.001, within(1e-9));
        assertThat(Rates.quantile(0.9, BOUNDS, before, now, 10, 110)).isCloseTo(0.005, within(1e-9));
        // rank 99: 9 of the 10 in (5, 10] ms.
        assertThat(Rates.quantile(0.99, BOUNDS, before, now, 10, 110)).isCloseTo(0.0095, within(1e-9));
    }

    @Test
    void observationsAboveTheLastBoundReportTheLastBound() {
        assertThat(Rates.quantile(0.99, BOUNDS, new long[4], new long[] {0, 0, 0, 1}, 0, 100)).isEqualTo(0.05);
    }

    @Test
    void nothingObservedBetweenTheReadingsIsNotANumber() {
        long[] same = {5, 5, 5, 5};
        assertThat(Rates.quantile(0.99, BOUNDS, same, same, 5, 5)).isNaN();
    }
}
