package com.foobar.dbrouter;

import static org.assertj.core.api.Assertions.assertThat;

import com.foobar.dbrouter.NodeObservation.Replication;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class TopologyJudgeTest {
    private static final TopologyJudge JUDGE = new TopologyJudge(Duration.ofSeconds(5));

    private static NodeObservation writable(long serverId) {
        return NodeObservation.up(serverId, false, Replication.NONE, Flavor.MARIADB);
    }

    private static NodeObservation fenced(long serverId) {
        return NodeObservation.up(serverId, true, Replication.NONE, Flavor.MARIADB);
    }

    private static NodeObservation replicaOf(long serverId, long source, Long lag) {
        return NodeObservation.up(serverId, true, new Replication(true, lag == null ? "Connecting" : "Yes", "Yes", lag, source),
                Flavor.MARIADB);
    }

    private static NodeObservation down(long lastServerId) {
        return NodeObservation.down("Connection refused", lastServerId, Flavor.MARIADB);
    }

    private static Topology judge(NodeObservation a, NodeObservation b, NodeObservation c) {
        return JUDGE.judge(List.of(new TopologyJudge.Input("a", a), new TopologyJudge.Input("b", b),
                new TopologyJudge.Input("c", c)), "a");
    }

    @Test
    void theWritableNodeThatReplicatesFromNoOneIsTheWriterAndItsReplicasTakeReads() {
        Topology t = judge(writable(1), replicaOf(2, 1, 0L), replicaOf(3, 1, 2L));
        assertThat(t.state()).isEqualTo(WriterState.ONE_WRITER);
        assertThat(t.writer()).isEqualTo("a");
        assertThat(t.verdict("b").role()).isEqualTo(NodeRole.REPLICA);
        assertThat(t.verdict("b").readable()).isTrue();
        assertThat(t.verdict("c").readable()).isTrue();
        assertThat(t.refusal()).isNull();
    }

    @Test
    void rolesComeFromTheNodesNotFromTheConfiguredOrder() {
        // "a" was configured as the primary; "b" was promoted and "a" re-attached under it.
        Topology t = judge(replicaOf(1, 2, 0L), writable(2), replicaOf(3, 2, 0L));
        assertThat(t.writer()).isEqualTo("b");
        assertThat(t.verdict("a").role()).isEqualTo(NodeRole.REPLICA);
        assertThat(t.verdict("a").readable()).isTrue();
        assertThat(t.lastWriter()).isEqualTo("b");
    }

    @Test
    void everyNodeReadOnlyIsNoWriterAndReplicasKeepServingReads() {
        Topology t = judge(fenced(1), replicaOf(2, 1, 0L), replicaOf(3, 1, 0L));
        assertThat(t.state()).isEqualTo(WriterState.NO_WRITER);
        assertThat(t.verdict("a").role()).isEqualTo(NodeRole.READ_ONLY);
        assertThat(t.verdict("a").reason()).isEqualTo("read-only and not replicating (no replication configured)");
        assertThat(t.refusal()).isEqualTo(WriteRefusal.NO_WRITER);
        assertThat(t.refusalMessage()).startsWith("no writable node").contains("a read_only, b replica, c replica");
        assertThat(t.verdict("b").readable()).isTrue();
    }

    @Test
    void theWriterDownIsWriterDownAndReplicasThatLostItServeWhatTheyApplied() {
        Topology t = judge(down(1), replicaOf(2, 1, null), replicaOf(3, 1, null));
        assertThat(t.state()).isEqualTo(WriterState.NO_WRITER);
        assertThat(t.refusal()).isEqualTo(WriteRefusal.WRITER_DOWN);
        assertThat(t.refusalMessage()).isEqualTo("a is down: Connection refused; no other node is writable (b replica, c replica)");
        assertThat(t.verdict("b").readable()).isTrue();
        assertThat(t.verdict("c").readable()).isTrue();
        assertThat(t.readFallback()).isNull();
    }

    @Test
    void twoWritableNodesAreSplitBrainWithNoWriter() {
        Topology t = judge(writable(1), writable(2), replicaOf(3, 1, 0L));
        assertThat(t.state()).isEqualTo(WriterState.SPLIT_BRAIN);
        assertThat(t.writer()).isNull();
        assertThat(t.writable()).containsExactly("a", "b");
        assertThat(t.refusal()).isEqualTo(WriteRefusal.SPLIT_BRAIN);
        assertThat(t.refusalMessage()).startsWith("split brain: 2 nodes are writable and replicate from no one (a, b)");
        // Reads with no replica go to the last writer, never writes.
        assertThat(t.readFallback()).isEqualTo("a");
    }

    @Test
    void aWritableNodeThatStillReplicatesIsAReplicaNotASecondWriter() {
        NodeObservation writableReplica = NodeObservation.up(2, false, new Replication(true, "Yes", "Yes", 0L, 1), Flavor.MARIADB);
        Topology t = judge(writable(1), writableReplica, replicaOf(3, 1, 0L));
        assertThat(t.state()).isEqualTo(WriterState.ONE_WRITER);
        assertThat(t.verdict("b").role()).isEqualTo(NodeRole.REPLICA);
    }

    @Test
    void aStoppedReplicationIsNotReplicating() {
        NodeObservation stopped = NodeObservation.up(2, true, new Replication(true, "No", "No", null, 1), Flavor.MARIADB);
        Topology t = judge(writable(1), stopped, replicaOf(3, 1, 0L));
        assertThat(t.verdict("b").role()).isEqualTo(NodeRole.READ_ONLY);
        assertThat(t.verdict("b").reason()).contains("replication stopped: I/O thread No, SQL thread No");
        // Stopped and made writable: that is how a promotion starts, so it is a writer (here: a second one).
        NodeObservation promoted = NodeObservation.up(2, false, new Replication(true, "No", "No", null, 1), Flavor.MARIADB);
        assertThat(judge(writable(1), promoted, replicaOf(3, 1, 0L)).state()).isEqualTo(WriterState.SPLIT_BRAIN);
    }

    @Test
    void aReplicaStillAttachedToTheFencedOldPrimaryTakesNoReadsThoughItsLagIsZero() {
        Topology t = judge(fenced(1), writable(2), replicaOf(3, 1, 0L));
        assertThat(t.writer()).isEqualTo("b");
        assertThat(t.verdict("c").readable()).isFalse();
        assertThat(t.verdict("c").reason())
                .isEqualTo("replicates from a (server_id 1, read_only), not from the writer b: it gets no new writes");
    }

    @Test
    void aReplicaOfAReplicaOfTheWriterTakesReads() {
        Topology t = judge(writable(1), replicaOf(2, 1, 0L), replicaOf(3, 2, 1L));
        assertThat(t.verdict("c").readable()).isTrue();
    }

    @Test
    void aReplicaWhoseSourceIsNotConfiguredIsJudgedByItsLagAlone() {
        Topology t = judge(writable(1), replicaOf(2, 99, 0L), replicaOf(3, 1, 0L));
        assertThat(t.verdict("b").readable()).isTrue();
    }

    @Test
    void withAWriterANullLagMeansBrokenReplicationAndTooMuchLagMeansNoReads() {
        Topology t = judge(writable(1), replicaOf(2, 1, null), replicaOf(3, 1, 6L));
        assertThat(t.verdict("b").readable()).isFalse();
        assertThat(t.verdict("b").reason()).isEqualTo("replication broken (Seconds_Behind_Master is NULL, I/O thread Connecting, SQL thread Yes)");
        assertThat(t.verdict("c").readable()).isFalse();
        assertThat(t.verdict("c").reason()).isEqualTo("lag 6 s is above maxReplicationLag 5000 ms");
    }

    @Test
    void aReplicaThatJustLostItsSourceServesReadsWhileItsLastLagPlusTheTimeSinceIsWithinTheLimit() {
        // The primary died without a reset: the replica's I/O thread lost it at once, but the monitor still waits
        // for the primary's answer, so it still counts as the writer. The replica had lag 1 s 2.5 s ago: it is at
        // most 4 s behind, within the 5 s limit, and reads stay on it rather than go to a writer that is gone.
        NodeObservation lost = replicaOf(2, 1, null);
        Topology t = JUDGE.judge(List.of(new TopologyJudge.Input("a", writable(1)),
                new TopologyJudge.Input("b", lost, new TopologyJudge.LagSample(1, Duration.ofMillis(2500)))), "a");
        assertThat(t.state()).isEqualTo(WriterState.ONE_WRITER);
        assertThat(t.verdict("b").readable()).isTrue();
        assertThat(t.verdict("b").lagSeconds()).isEqualTo(4);

        Topology later = JUDGE.judge(List.of(new TopologyJudge.Input("a", writable(1)),
                new TopologyJudge.Input("b", lost, new TopologyJudge.LagSample(1, Duration.ofMillis(4100)))), "a");
        assertThat(later.verdict("b").readable()).isFalse();
        assertThat(later.verdict("b").reason())
                .isEqualTo("replication broken (Seconds_Behind_Master is NULL, I/O thread Connecting, SQL thread Yes)");
    }

    @Test
    void aReplicaStoppedToBePromotedKeepsReadsForAsLongAsItsBoundAllowsButAFencedOldPrimaryTakesNone() {
        // Mid-promotion: the primary is down, the replica has stopped replicating and is not writable yet. It held
        // lag 0 a moment ago, so it serves reads through the gap; the old primary, fenced, has no recent lag at all.
        Topology t = JUDGE.judge(List.of(new TopologyJudge.Input("a", down(1)),
                new TopologyJudge.Input("b", fenced(2), new TopologyJudge.LagSample(0, Duration.ofMillis(800))),
                new TopologyJudge.Input("c", fenced(3))), "a");
        assertThat(t.state()).isEqualTo(WriterState.NO_WRITER);
        assertThat(t.verdict("b").role()).isEqualTo(NodeRole.READ_ONLY);
        assertThat(t.verdict("b").readable()).isTrue();
        assertThat(t.verdict("c").readable()).isFalse();
        assertThat(t.verdict("c").reason()).isEqualTo("read-only and not replicating (no replication configured)");

        Topology stale = JUDGE.judge(List.of(new TopologyJudge.Input("a", down(1)),
                new TopologyJudge.Input("b", fenced(2), new TopologyJudge.LagSample(0, Duration.ofSeconds(6)))), "a");
        assertThat(stale.verdict("b").readable()).isFalse();
    }

    @Test
    void aBoundedLagStillRequiresTheReplicaToFollowTheWriter() {
        NodeObservation lostFromAnOldSource = replicaOf(2, 3, null);
        Topology t = JUDGE.judge(List.of(new TopologyJudge.Input("a", writable(1)),
                new TopologyJudge.Input("b", lostFromAnOldSource, new TopologyJudge.LagSample(0, Duration.ofMillis(500))),
                new TopologyJudge.Input("c", fenced(3))), "a");
        assertThat(t.verdict("b").readable()).isFalse();
        assertThat(t.verdict("b").reason()).startsWith("replicates from c");
    }

    @Test
    void aDownNodeKeepsItsLastServerIdSoItsReplicasAreRecognised() {
        // c still points at a, which is down; b was promoted: c's I/O thread may not have noticed yet (lag 0).
        Topology t = judge(down(1), writable(2), replicaOf(3, 1, 0L));
        assertThat(t.verdict("c").readable()).isFalse();
        assertThat(t.verdict("c").reason()).startsWith("replicates from a (server_id 1, down)");
    }

    @Test
    void lagAndUsabilityChangesAreNotTopologyChanges() {
        Topology before = judge(writable(1), replicaOf(2, 1, 0L), replicaOf(3, 1, 0L));
        Topology lagging = judge(writable(1), replicaOf(2, 1, 9L), replicaOf(3, 1, 0L));
        Topology promoted = judge(fenced(1), writable(2), replicaOf(3, 1, 0L));
        assertThat(lagging.sameRoles(before)).isTrue();
        assertThat(promoted.sameRoles(before)).isFalse();
    }
}
