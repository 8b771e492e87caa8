package com.foobar.webapp;

import com.foobar.dbrouter.RouterHealth;
import com.foobar.dbrouter.RouterHealth.ReplicaHealth;
import com.foobar.webapp.web.ReadinessChecker;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ReadinessTest {

    private static final ReplicaHealth USABLE = new ReplicaHealth("replica-1", true, true,
            Optional.of(Duration.ZERO), "");
    private static final ReplicaHealth BROKEN = new ReplicaHealth("replica-1", true, false, Optional.empty(),
            "replication is broken");

    @Test
    void readyWithThePrimaryAndAUsableReplica() {
        ReadinessChecker.Readiness r = Readiness.of(new RouterHealth(true, List.of(USABLE)), true);
        assertThat(r.ready()).isTrue();
        assertThat(r.reason()).isEqualTo("primary up; replica-1 usable");
    }

    @Test
    void notReadyWhileThePrimaryIsDownEvenWithReadsStillServed() {
        ReadinessChecker.Readiness r = Readiness.of(new RouterHealth(false, List.of(USABLE)), true);
        assertThat(r.ready()).isFalse();
        assertThat(r.reason()).startsWith("primary is down");
    }

    @Test
    void readyOnThePrimaryAloneWhenItTakesReads() {
        ReadinessChecker.Readiness r = Readiness.of(new RouterHealth(true, List.of(BROKEN)), true);
        assertThat(r.ready()).isTrue();
        assertThat(r.reason()).contains("replica-1 unusable: replication is broken");
    }

    @Test
    void notReadyWithoutAnyReadPath() {
        ReadinessChecker.Readiness r = Readiness.of(new RouterHealth(true, List.of(BROKEN)), false);
        assertThat(r.ready()).isFalse();
        assertThat(r.reason()).contains("no node can serve reads");
    }
}
