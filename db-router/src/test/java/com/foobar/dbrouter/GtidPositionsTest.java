package com.foobar.dbrouter;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GtidPositionsTest {
    @Test
    void aReplicaPastTheTokenInTheSameServersStreamHoldsTheWrite() {
        assertThat(GtidPositions.holds("0-1-100", "0-1-100")).isTrue();
        assertThat(GtidPositions.holds("0-1-150", "0-1-100")).isTrue();
        assertThat(GtidPositions.holds("0-1-99", "0-1-100")).isFalse();
    }

    @Test
    void aSequenceNumberReachedWithAnotherServersWritesProvesNothing() {
        // The promoted replica lacked 0-1-101 and numbered its own writes on from 100: MASTER_GTID_WAIT('0-1-101')
        // returns at once on a replica at 0-2-101, which does not hold the lost write.
        assertThat(GtidPositions.holds("0-2-101", "0-1-101")).isFalse();
        assertThat(GtidPositions.holds("0-2-500", "0-1-101")).isFalse();
    }

    @Test
    void everyDomainOfTheTokenMustBeHeld() {
        assertThat(GtidPositions.holds("0-1-10,1-3-7", "0-1-10,1-3-7")).isTrue();
        assertThat(GtidPositions.holds("0-1-10", "0-1-10,1-3-7")).isFalse();
        assertThat(GtidPositions.holds("1-3-9, 0-1-12\n", "0-1-10,1-3-7")).isTrue();
    }

    @Test
    void unknownOrMalformedPositionsProveNothing() {
        assertThat(GtidPositions.holds("", "0-1-1")).isFalse();
        assertThat(GtidPositions.holds(null, "0-1-1")).isFalse();
        assertThat(GtidPositions.holds("garbage", "0-1-1")).isFalse();
    }

    @Test
    void sequenceNumbersAreUnsigned64Bit() {
        assertThat(GtidPositions.holds("0-1-18446744073709551615", "0-1-9223372036854775808")).isTrue();
        assertThat(GtidPositions.holds("0-1-9223372036854775808", "0-1-18446744073709551615")).isFalse();
    }
}
