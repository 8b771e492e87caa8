package com.foobar.dbrouter;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The router's meters. Per-node meters are resolved once, so the hot path only increments; all are removed from the
 * registry on close so that a later router of the same name starts clean.
 */
final class RouterMetrics {
    static final String STATEMENTS = "db.router.statements";
    static final String CONNECTIONS = "db.router.connections";
    static final String FALLBACKS = "db.router.fallbacks";
    static final String GTID_WAITS = "db.router.gtid.waits";
    static final String GTID_WAIT_TIMEOUTS = "db.router.gtid.wait.timeouts";
    static final String REPLICA_LAG = "db.router.replica.lag";
    static final String NODE_UP = "db.router.node.up";
    static final String PRIMARY_UNAVAILABLE = "db.router.primary.unavailable";
    static final String NODE_ROLE = "db.router.node.role";
    static final String TOPOLOGY_CHANGES = "db.router.topology.changes";
    static final String WRITES_REFUSED = "db.router.writes.refused";
    static final String WRITABLE_NODES = "db.router.writable.nodes";

    /** Why a read went to the primary instead of a replica. */
    enum Fallback {
        NO_USABLE_REPLICA("no_usable_replica"),
        CAUSAL_WAIT_TIMEOUT("causal_wait_timeout"),
        CAUSAL_NOT_CAUGHT_UP("causal_not_caught_up"),
        REPLICA_ERROR("replica_error"),
        /**
         * A replica reached the token's sequence number, but with another server's writes: the writer changed and
         * the token's write may be lost (see {@link GtidPositions}).
         */
        CAUSAL_OTHER_LINEAGE("causal_other_lineage");

        final String tag;

        Fallback(String tag) {
            this.tag = tag;
        }
    }

    private final MeterRegistry registry;
    private final String router;
    private final List<Meter> meters = new ArrayList<>();
    private final ConcurrentHashMap<Fallback, Counter> fallbacks = new ConcurrentHashMap<>();
    private final Counter primaryUnavailable;
    private final ConcurrentHashMap<WriteRefusal, Counter> refused = new ConcurrentHashMap<>();
    private final Counter topologyChanges;

    RouterMetrics(MeterRegistry registry, String router) {
        this.registry = registry;
        this.router = router;
        for (Fallback f : Fallback.values()) {
            fallbacks.put(f, keep(Counter.builder(FALLBACKS)
                    .description("Reads served by the primary instead of a replica, by reason")
                    .tag("router", router).tag("reason", f.tag).register(registry)));
        }
        primaryUnavailable = keep(Counter.builder(PRIMARY_UNAVAILABLE)
                .description("Writes refused because no node was the one writer (all reasons of db.router.writes.refused)")
                .tag("router", router).register(registry));
        for (WriteRefusal r : WriteRefusal.values()) {
            refused.put(r, keep(Counter.builder(WRITES_REFUSED)
                    .description("Writes refused or stopped without writing, by reason: writer_down, no_writer, split_brain,"
                            + " writer_turned_read_only")
                    .tag("router", router).tag("reason", r.tag()).register(registry)));
        }
        topologyChanges = keep(Counter.builder(TOPOLOGY_CHANGES)
                .description("Changes of the writer or of any node's role, as the router saw them")
                .tag("router", router).register(registry));
    }

    /** How many nodes are writable and replicate from no one: 1 is healthy, 0 is no writer, 2 or more split brain. */
    void bindTopology(TopologyTracker tracker) {
        keep(io.micrometer.core.instrument.Gauge.builder(WRITABLE_NODES, tracker, t -> t.current().writable().size())
                .description("Nodes that are writable and replicate from no one: 1 healthy, 0 no writer, 2+ split brain")
                .tag("router", router).register(registry));
    }

    /** The meters of one node, resolved once. */
    final class NodeMeters {
        final Counter readStatements;
        final Counter writeStatements;
        final Counter readConnections;
        final Counter writeConnections;
        final Timer gtidWaitReached;
        final Timer gtidWaitTimedOut;
        final Counter gtidWaitTimeouts;

        NodeMeters(NodePool node) {
            String name = node.name();
            readStatements = statements(name, "read");
            writeStatements = statements(name, "write");
            readConnections = connections(name, "read");
            writeConnections = connections(name, "write");
            gtidWaitReached = gtidWait(name, "reached");
            gtidWaitTimedOut = gtidWait(name, "timeout");
            gtidWaitTimeouts = keep(Counter.builder(GTID_WAIT_TIMEOUTS)
                    .description("Causal reads whose GTID wait timed out on this replica")
                    .tag("router", router).tag("node", name).register(registry));
            keep(io.micrometer.core.instrument.Gauge.builder(NODE_UP, node, n -> n.isUp() ? 1 : 0)
                    .description("1 when the node answers the monitor")
                    .tag("router", router).tag("node", name).register(registry));
            // Every node: roles change, and any node may replicate.
            keep(io.micrometer.core.instrument.Gauge.builder(REPLICA_LAG, node, NodePool::lagSecondsOrNaN)
                    .description("Replication lag seen by the monitor (Seconds_Behind_Master/Source); NaN when unknown, broken or not replicating")
                    .baseUnit("seconds")
                    .tag("router", router).tag("node", name).register(registry));
            for (NodeRole role : NodeRole.values()) {
                keep(io.micrometer.core.instrument.Gauge.builder(NODE_ROLE, node, n -> n.role() == role ? 1 : 0)
                        .description("1 for the node's current role as the router sees it (writer, replica, read_only = fenced"
                                + " or stopped replication, down), 0 for the others")
                        .tag("router", router).tag("node", name).tag("role", role.tag()).register(registry));
            }
        }

        Counter statements(boolean read) {
            return read ? readStatements : writeStatements;
        }

        Counter connections(boolean read) {
            return read ? readConnections : writeConnections;
        }

        void gtidWait(long nanos, boolean reached) {
            if (reached) {
                gtidWaitReached.record(nanos, TimeUnit.NANOSECONDS);
            } else {
                gtidWaitTimedOut.record(nanos, TimeUnit.NANOSECONDS);
                gtidWaitTimeouts.increment();
            }
        }

        private Counter statements(String node, String kind) {
            return keep(Counter.builder(STATEMENTS).description("Statements executed through the router, by node and kind")
                    .tag("router", router).tag("node", node).tag("kind", kind).register(registry));
        }

        private Counter connections(String node, String kind) {
            return keep(Counter.builder(CONNECTIONS).description("Connections handed out by the router, by node and kind")
                    .tag("router", router).tag("node", node).tag("kind", kind).register(registry));
        }

        private Timer gtidWait(String node, String outcome) {
            return keep(Timer.builder(GTID_WAITS).description("Causal-read waits for a GTID on a replica")
                    .tag("router", router).tag("node", node).tag("outcome", outcome).register(registry));
        }
    }

    void fallback(Fallback reason) {
        fallbacks.get(reason).increment();
    }

    void writeRefused(WriteRefusal reason) {
        primaryUnavailable.increment();
        refused.get(reason).increment();
    }

    void topologyChanged() {
        topologyChanges.increment();
    }

    private synchronized <M extends Meter> M keep(M meter) {
        meters.add(meter);
        return meter;
    }

    synchronized void close() {
        for (Meter m : meters) {
            registry.remove(m);
        }
        meters.clear();
    }
}
