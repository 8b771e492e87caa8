package com.foobar.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class StatsTest {

    @Test
    void medianOfAnOddCountIsTheMiddleValue() {
        assertThat(Stats.median(List.of(5.0, 1.0, 9.0, 3.0, 100.0))).isEqualTo(5.0);
    }

    @Test
    void medianOfAnEvenCountIsTheMeanOfTheTwoMiddleValues() {
        assertThat(Stats.median(List.of(4.0, 1.0, 3.0, 2.0))).isEqualTo(2.5);
    }

    @Test
    void medianOfNothingIsNaN() {
        assertThat(Stats.median(List.of())).isNaN();
    }

    @Test
    void ratioWithAMissingOrZeroDenominatorIsNaN() {
        assertThat(Stats.ratio(3.0, 2.0)).isEqualTo(1.5);
        assertThat(Stats.ratio(3.0, 0.0)).isNaN();
        assertThat(Stats.ratio(Double.NaN, 2.0)).isNaN();
    }
}
