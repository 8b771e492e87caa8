package com.foobar.dbfailover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.foobar.dbfailover.report.Event;
import com.foobar.dbfailover.report.EventKind;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * With two replicas, the one that received the most replaces the primary, whatever the configuration's order, and the
 * other is repointed to it and gets what it missed.
 */
class MostAdvancedReplicaTest {
    private static final Duration FAILOVER_AFTER = Duration.ofSeconds(2);
    private static final Duration WITHIN = Duration.ofSeconds(60);

    @Test
    void replicaThatReceivedTheMostIsPromotedAndTheOtherFollowsIt() throws Exception {
        try (FailoverCluster c = FailoverCluster.start(db -> db.replicas(2), f -> f.failoverAfter(FAILOVER_AFTER))) {
            OldPrimaryReturnTest.createTable(c, "primary");
            OldPrimaryReturnTest.insert(c, "primary", 1);
            await().atMost(WITHIN).until(() -> OldPrimaryReturnTest.ids(c, "replica-1").contains(1L)
                    && OldPrimaryReturnTest.ids(c, "replica-2").contains(1L));
            // replica-1, first in the configuration, stops receiving: replica-2 alone gets 2 and 3.
            c.execute("replica-1", "STOP SLAVE IO_THREAD");
            OldPrimaryReturnTest.insert(c, "primary", 2);
            OldPrimaryReturnTest.insert(c, "primary", 3);
            await().atMost(WITHIN).until(() -> OldPrimaryReturnTest.ids(c, "replica-2").containsAll(java.util.List.of(2L, 3L)));
            assertThat(OldPrimaryReturnTest.ids(c, "replica-1")).doesNotContain(2L, 3L);

            c.kill("primary");

            Event promoted = c.awaitEvent(EventKind.PROMOTED, "replica-2", WITHIN);
            assertThat(promoted.message()).contains("replica-2 has received the most").contains("Repointed to it: replica-1");
            assertThat(c.event(EventKind.PROMOTED, "replica-1")).isEmpty();
            assertThat(c.failover.status().primary()).isEqualTo("replica-2");
            assertThat(c.scalar("replica-2", "SELECT @@global.read_only")).isEqualTo("0");
            // replica-1 follows the new primary by GTID, and so gets the rows it had not received.
            try (Connection op = c.operator("replica-1"); Statement s = op.createStatement();
                 ResultSet rs = s.executeQuery("SHOW SLAVE STATUS")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt("Master_Port")).isEqualTo(c.node("replica-2").port());
                assertThat(rs.getString("Using_Gtid")).isEqualTo("Slave_Pos");
            }
            OldPrimaryReturnTest.insert(c, "replica-2", 4);
            await().atMost(WITHIN).until(() -> OldPrimaryReturnTest.ids(c, "replica-1").containsAll(java.util.List.of(2L, 3L, 4L)));
            assertThat(c.scalar("replica-1", "SELECT @@global.read_only")).isEqualTo("1");
            await().atMost(WITHIN).until(() -> "replica".equals(c.failover.status().node("replica-1").role()));
            System.out.println("[failover] two replicas: replica-2 (ahead by 2 transactions) promoted "
                    + c.failover.status().lastPromotion().tookSeconds() + " s after the decision; replica-1 repointed");
        }
    }
}
