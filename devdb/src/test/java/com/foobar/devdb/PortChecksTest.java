package com.foobar.devdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class PortChecksTest {

    /** Chosen one at a time with each socket closed at once, two nodes once got the same port and one failed to bind. */
    @RepeatedTest(20)
    void portsChosenTogetherAreDistinct() {
        List<Integer> ports = PortChecks.choose(Collections.nCopies(8, 0));

        assertThat(ports).hasSize(8).doesNotHaveDuplicates().allSatisfy(p -> assertThat(p).isBetween(1, 65535));
    }

    @Test
    void fixedPortsAreKeptInPlaceAndNeverChosenForAnotherNode() {
        int fixed = PortChecks.choose(List.of(0)).get(0);

        List<Integer> ports = PortChecks.choose(List.of(0, fixed, 0));

        assertThat(ports.get(1)).isEqualTo(fixed);
        assertThat(ports).doesNotHaveDuplicates();
    }
}
