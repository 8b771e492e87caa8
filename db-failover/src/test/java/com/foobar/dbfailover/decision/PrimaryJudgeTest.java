package com.foobar.dbfailover.decision;

import static org.assertj.core.api.Assertions.assertThat;

import com.foobar.dbfailover.config.FailoverConfig;
import com.foobar.dbfailover.config.NodeConfig;
import com.foobar.dbfailover.gtid.MariaDbGtidState;
import com.foobar.dbfailover.probe.NodeState;
import com.foobar.dbfailover.probe.Reading;
import com.foobar.dbfailover.probe.Replication;
import com.foobar.dbfailover.probe.SemiSync;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rules that say whether the primary is dead, without I/O: probes in, a verdict out. */
class PrimaryJudgeTest {
    private static final Instant T0 = Instant.parse("2026-12-05T14:00:00Z");
    private static final NodeConfig PRIMARY = new NodeConfig("primary", "10.0.0.1", 3306);
    private static final NodeConfig REPLICA = new NodeConfig("replica-1", "10.0.0.2", 3306);

    private static FailoverConfig config(boolean confirmWithReplicas) throws Exception {
        return FailoverConfig.builder().node(PRIMARY).node(REPLICA).user("failover", "")
                .replicationUser("repl", "").failoverAfter(Duration.ofSeconds(5))
                .confirmWithReplicas(confirmWithReplicas).build();
    }

    private static NodeState silentPrimary(Instant lastAnswer, Instant now) {
        return new NodeState("primary", now, null, "Communications link failure", lastAnswer, Duration.ofMillis(5), false);
    }

    private static NodeState replica(String ioState, Instant now, String received) {
        Replication rep = new Replication("10.0.0.1", 3306, ioState, true, "", "", 0L, 0);
        Reading r = new Reading("11.4.5-MariaDB-log", 2, true, Duration.ofHours(1), rep,
                MariaDbGtidState.of("0-1-100", "0-1-100", "0-1-100", received), SemiSync.UNAVAILABLE);
        return new NodeState("replica-1", now, r, null, now, Duration.ofMillis(5), false);
    }

    private static NodeState primaryAnswering(boolean readOnly, Duration uptime, Instant now) {
        Reading r = new Reading("11.4.5-MariaDB-log", 1, readOnly, uptime, null,
                MariaDbGtidState.of("0-1-100", "", "0-1-100", ""), SemiSync.UNAVAILABLE);
        return new NodeState("primary", now, r, null, now, Duration.ofMillis(5), false);
    }

    private static Map<String, NodeState> states(NodeState... s) {
        Map<String, NodeState> m = new LinkedHashMap<>();
        for (NodeState n : s) {
            m.put(n.name(), n);
        }
        return m;
    }

    @Test
    void silentLessThanFailoverAfterIsOnlySilent() throws Exception {
        Instant now = T0.plusSeconds(4);
        PrimaryVerdict v = new PrimaryJudge(config(true)).judge(PRIMARY,
                states(silentPrimary(T0, now), replica("Connecting", now, "0-1-100")), now, T0, T0);
        assertThat(v.kind()).isEqualTo(PrimaryVerdict.Kind.SILENT);
    }

    @Test
    void silentForFailoverAfterWithNoReplicaHearingItIsDead() throws Exception {
        Instant now = T0.plusSeconds(5);
        PrimaryVerdict v = new PrimaryJudge(config(true)).judge(PRIMARY,
                states(silentPrimary(T0, now), replica("Connecting", now, "0-1-100")), now, T0, T0);
        assertThat(v.kind()).isEqualTo(PrimaryVerdict.Kind.DEAD);
        assertThat(v.reason()).contains("no replica receives from it either");
    }

    @Test
    void replicaStillConnectedToThePrimaryHoldsTheFailover() throws Exception {
        Instant now = T0.plusSeconds(30);
        Map<String, NodeState> s = states(silentPrimary(T0, now), replica("Yes", now, "0-1-100"));
        PrimaryVerdict held = new PrimaryJudge(config(true)).judge(PRIMARY, s, now, T0, T0);
        assertThat(held.kind()).isEqualTo(PrimaryVerdict.Kind.HELD);
        assertThat(held.witnesses()).containsExactly("replica-1");
        assertThat(held.reason()).contains("the decider may be cut off from a healthy primary");
        // Without the replicas' opinion, the decider's own timer decides.
        assertThat(new PrimaryJudge(config(false)).judge(PRIMARY, s, now, T0, T0).kind())
                .isEqualTo(PrimaryVerdict.Kind.DEAD);
    }

    @Test
    void writablePrimaryIsHealthyHoweverLateItsLastAnswer() throws Exception {
        Instant now = T0.plusSeconds(60);
        assertThat(new PrimaryJudge(config(true)).judge(PRIMARY,
                states(primaryAnswering(false, Duration.ofHours(1), now), replica("Yes", now, "0-1-100")), now, T0, T0)
                .kind()).isEqualTo(PrimaryVerdict.Kind.HEALTHY);
    }

    @Test
    void primaryRestartedReadOnlyBehindAReplicaIsReplacedAndOneNotBehindIsRestored() throws Exception {
        Instant now = T0.plusSeconds(8);
        Instant lastWritable = T0;
        NodeState restarted = primaryAnswering(true, Duration.ofSeconds(2), now);
        PrimaryVerdict behind = new PrimaryJudge(config(true)).judge(PRIMARY,
                states(restarted, replica("Yes", now, "0-1-102")), now, T0, lastWritable);
        assertThat(behind.kind()).isEqualTo(PrimaryVerdict.Kind.RESTARTED_BEHIND);
        assertThat(behind.witnesses()).containsExactly("replica-1");
        PrimaryVerdict even = new PrimaryJudge(config(true)).judge(PRIMARY,
                states(restarted, replica("Yes", now, "0-1-100")), now, T0, lastWritable);
        assertThat(even.kind()).isEqualTo(PrimaryVerdict.Kind.RESTARTED_READ_ONLY);
        // Read-only without a restart: someone set it; the decider does not undo it.
        PrimaryVerdict set = new PrimaryJudge(config(true)).judge(PRIMARY,
                states(primaryAnswering(true, Duration.ofHours(1), now), replica("Yes", now, "0-1-100")), now, T0,
                lastWritable);
        assertThat(set.kind()).isEqualTo(PrimaryVerdict.Kind.READ_ONLY);
    }

    @Test
    void withEnforceWritablePrimaryAReadOnlyPrimaryIsRestoredOrReplacedEvenIfNeverSeenWritable() throws Exception {
        FailoverConfig enforcing = FailoverConfig.builder().node(PRIMARY).node(REPLICA).user("failover", "")
                .replicationUser("repl", "").enforceWritablePrimary(true).build();
        Instant now = T0.plusSeconds(8);
        // The decider's first look (lastWritableAt null): compose starts every node read-only, the first time too.
        NodeState readOnly = primaryAnswering(true, Duration.ofHours(1), now);
        PrimaryVerdict even = new PrimaryJudge(enforcing).judge(PRIMARY,
                states(readOnly, replica("Yes", now, "0-1-100")), now, T0, null);
        assertThat(even.kind()).isEqualTo(PrimaryVerdict.Kind.RESTARTED_READ_ONLY);
        assertThat(even.reason()).contains("enforce_writable_primary");
        PrimaryVerdict behind = new PrimaryJudge(enforcing).judge(PRIMARY,
                states(readOnly, replica("Yes", now, "0-1-102")), now, T0, null);
        assertThat(behind.kind()).isEqualTo(PrimaryVerdict.Kind.RESTARTED_BEHIND);
        assertThat(behind.witnesses()).containsExactly("replica-1");
        // Without the option the same primary is left alone.
        assertThat(new PrimaryJudge(config(true)).judge(PRIMARY, states(readOnly, replica("Yes", now, "0-1-100")), now,
                T0, null).kind()).isEqualTo(PrimaryVerdict.Kind.READ_ONLY);
    }
}
