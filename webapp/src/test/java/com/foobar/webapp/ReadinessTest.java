package com.foobar.webapp;

import com.foobar.dbrouter.NodeRole;
import com.foobar.dbrouter.RouterHealth;
import com.foobar.dbrouter.RouterHealth.NodeHealth;
import com.foobar.dbrouter.WriterState;
import com.foobar.webapp.web.ReadinessChecker;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ReadinessTest {

    private static final NodeHealth WRITER = new NodeHealth("primary", NodeRole.WRITER, true, false, Optional.empty(), "");
    private static final NodeHealth USABLE = new NodeHealth("replica-1", NodeRole.REPLICA, true, true,
            Optional.of(Duration.ZERO), "");
    private static final NodeHealth BROKEN = new NodeHealth("replica-1", NodeRole.REPLICA, true, false, Optional.empty(),
            "replication is broken");

    private static RouterHealth oneWriter(NodeHealth... others) {
        List<NodeHealth> nodes = new java.util.ArrayList<>(List.of(WRITER));
        nodes.addAll(List.of(others));
        return new RouterHealth(WriterState.ONE_WRITER, Optional.of("primary"), "", nodes);
    }

    @Test
    void readyWithTheWriterAndAUsableReplica() {
        ReadinessChecker.Readiness r = Readiness.of(oneWriter(USABLE), true);
        assertThat(r.ready()).isTrue();
        assertThat(r.reason()).isEqualTo("writer primary; replica-1 usable");
    }

    @Test
    void notReadyWhileTheWriterIsDownEvenWithReadsStillServed() {
        RouterHealth down = new RouterHealth(WriterState.NO_WRITER, Optional.empty(),
                "primary is down: Connection refused; no other node is writable (replica-1 replica)",
                List.of(new NodeHealth("primary", NodeRole.DOWN, false, false, Optional.empty(), "Connection refused"), USABLE));
        ReadinessChecker.Readiness r = Readiness.of(down, true);
        assertThat(r.ready()).isFalse();
        assertThat(r.reason()).startsWith("primary is down: Connection refused; no other node is writable");
        assertThat(r.reason()).endsWith("writes are refused; primary down: Connection refused; replica-1 usable");
    }

    @Test
    void notReadyInSplitBrainAndTheReasonSaysSo() {
        RouterHealth split = new RouterHealth(WriterState.SPLIT_BRAIN, Optional.empty(),
                "split brain: 2 nodes are writable and replicate from no one (primary, replica-1); writes are refused"
                        + " until all but one are read-only",
                List.of(WRITER, new NodeHealth("replica-1", NodeRole.WRITER, true, false, Optional.empty(), "")));
        ReadinessChecker.Readiness r = Readiness.of(split, true);
        assertThat(r.ready()).isFalse();
        assertThat(r.reason()).startsWith("split brain: 2 nodes are writable");
    }

    @Test
    void aFencedNodeIsNamedWithItsRole() {
        NodeHealth fenced = new NodeHealth("replica-2", NodeRole.READ_ONLY, true, false, Optional.empty(),
                "read-only and not replicating (no replication configured)");
        ReadinessChecker.Readiness r = Readiness.of(oneWriter(USABLE, fenced), true);
        assertThat(r.reason()).isEqualTo("writer primary; replica-1 usable; replica-2 read_only: read-only and not"
                + " replicating (no replication configured)");
    }

    @Test
    void readyOnTheWriterAloneWhenItTakesReads() {
        ReadinessChecker.Readiness r = Readiness.of(oneWriter(BROKEN), true);
        assertThat(r.ready()).isTrue();
        assertThat(r.reason()).contains("replica-1 unusable: replication is broken");
    }

    @Test
    void notReadyWithoutAnyReadPath() {
        ReadinessChecker.Readiness r = Readiness.of(oneWriter(BROKEN), false);
        assertThat(r.ready()).isFalse();
        assertThat(r.reason()).contains("no node can serve reads");
    }
}
