package com.foobar.dbrouter;

import static org.assertj.core.api.Assertions.assertThat;

import com.foobar.dbrouter.NodeObservation.Replication;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a node's pool remembers between checks. No database: the pool's connections go to a closed port and are never
 * asked for; only the router's judgement of the node is exercised.
 */
class NodePoolTest {
    private static final TopologyJudge JUDGE = new TopologyJudge(RouterConfig.DEFAULT_MAX_REPLICATION_LAG);

    private static NodeObservation down() {
        return NodeObservation.down("Communications link failure", 1, Flavor.MARIADB);
    }

    @Test
    void theLastReplicaStaysReadableWhileItIsStoppedToBePromoted() {
        RouterConfig config = RouterConfig.builder().primaryUrl("jdbc:mysql://127.0.0.1:1/foobar")
                .replicaUrls(List.of("jdbc:mysql://127.0.0.1:2/foobar")).username("u").password("p").build();
        NodePool replica = new NodePool("replica-1", "jdbc:mysql://127.0.0.1:2/foobar", 1, config,
                new SimpleMeterRegistry());
        try {
            long t0 = System.nanoTime();
            long seconds = Duration.ofSeconds(1).toNanos();
            // Its source last reported lag 0 at t0; then the primary died, and the I/O thread lost it.
            replica.observed(NodeObservation.up(2, true, new Replication(true, "Yes", "Yes", 0L, 1), Flavor.MARIADB));
            replica.observed(NodeObservation.up(2, true, new Replication(true, "Connecting", "Yes", null, 1),
                    Flavor.MARIADB));

            // Eight seconds on, nothing takes writes and the replica applies all it received: still readable.
            long t8 = t0 + 8 * seconds;
            Topology withoutWriter = JUDGE.judge(List.of(new TopologyJudge.Input("primary", down()),
                    new TopologyJudge.Input("replica-1", replica.observation(), replica.lastLag(t8))), "primary");
            assertThat(withoutWriter.verdict("replica-1").readable()).as("the freshest data there is").isTrue();
            replica.apply(withoutWriter.verdict("replica-1"), t8);

            // Half a second later it is stopped to be promoted: read-only, not replicating, moments before it turns
            // writable. Its last reported lag is 8.5 s old, beyond the 5 s bound; what counts is that it was as fresh
            // as the data gets half a second ago.
            replica.observed(NodeObservation.up(2, true, Replication.NONE, Flavor.MARIADB));
            long promoting = t8 + seconds / 2;
            Topology stopped = JUDGE.judge(List.of(new TopologyJudge.Input("primary", down()),
                    new TopologyJudge.Input("replica-1", replica.observation(), replica.lastLag(promoting))),
                    "primary");
            assertThat(stopped.verdict("replica-1").role()).isEqualTo(NodeRole.READ_ONLY);
            assertThat(stopped.verdict("replica-1").readable()).as("it holds what it held a moment ago").isTrue();
        } finally {
            replica.close();
        }
    }
}
