package com.foobar.dbfailover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.foobar.dbfailover.report.EventKind;
import com.foobar.dbfailover.status.NodeView;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A replica killed together with the primary, as the stack runs them: devdb restarts both (read-only), and the
 * replica, which comes back replicating from the primary it had, replicates from the promoted one in the end, as the
 * old primary does, and gets what was written there while it was down.
 */
class RestartedReplicaTest {
    private static final Duration FAILOVER_AFTER = Duration.ofSeconds(2);
    /** Longer than the decider takes to promote, as devdb's 10 s in the stack: the servers meet a new primary. */
    private static final Duration RESTART_DELAY = Duration.ofSeconds(5);
    private static final Duration WITHIN = Duration.ofSeconds(90);

    @Test
    void aReplicaRestartedAfterAFailoverReplicatesFromTheNewPrimary() throws Exception {
        try (FailoverCluster c = FailoverCluster.start(db -> db.replicas(2).restartCrashed(true)
                .crashRestartDelay(RESTART_DELAY), f -> f.failoverAfter(FAILOVER_AFTER))) {
            OldPrimaryReturnTest.createTable(c, "primary");
            OldPrimaryReturnTest.insert(c, "primary", 1);
            await().atMost(WITHIN).until(() -> OldPrimaryReturnTest.ids(c, "replica-2").contains(1L));

            c.kill("replica-2");
            c.kill("primary");

            c.awaitEvent(EventKind.PROMOTED, "replica-1", WITHIN);
            OldPrimaryReturnTest.insert(c, "replica-1", 2);
            await().atMost(WITHIN).until(() -> replicatesFrom(c, "replica-2", "replica-1"));
            await().atMost(WITHIN).until(() -> has(c, "replica-2", 2L));
            assertThat(c.scalar("replica-2", "SELECT @@global.read_only")).isEqualTo("1");
            await().atMost(WITHIN).until(() -> replicatesFrom(c, "primary", "replica-1"));
            OldPrimaryReturnTest.insert(c, "replica-1", 3);
            await().atMost(WITHIN).until(() -> has(c, "replica-2", 3L) && has(c, "primary", 3L));
        }
    }

    /** As the decider sees it: a replica whose source is {@code source}, both threads running. */
    private static boolean replicatesFrom(FailoverCluster c, String node, String source) {
        NodeView view = c.failover.status().node(node);
        return view != null && view.up() && "replica".equals(view.role()) && view.replication() != null
                && source.equals(view.replication().sourceNode()) && view.replication().sqlRunning()
                && "Yes".equalsIgnoreCase(view.replication().ioThread());
    }

    private static boolean has(FailoverCluster c, String node, long id) {
        try {
            return OldPrimaryReturnTest.ids(c, node).containsAll(List.of(id));
        } catch (SQLException e) {
            return false; // down, or back and not yet answering
        }
    }
}
