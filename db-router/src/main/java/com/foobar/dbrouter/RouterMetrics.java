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

    /** Why a read went to the primary instead of a replica. */
    enum Fallback {
        NO_USABLE_REPLICA("no_usable_replica"),
        CAUSAL_WAIT_TIMEOUT("causal_wait_timeout"),
        CAUSAL_NOT_CAUGHT_UP("causal_not_caught_up"),
        REPLICA_ERROR("replica_error");

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

    RouterMetrics(MeterRegistry registry, String router) {
        this.registry = registry;
        this.router = router;
        for (Fallback f : Fallback.values()) {
            fallbacks.put(f, keep(Counter.builder(FALLBACKS)
                    .description("Reads served by the primary instead of a replica, by reason")
                    .tag("router", router).tag("reason", f.tag).register(registry)));
        }
        primaryUnavailable = keep(Counter.builder(PRIMARY_UNAVAILABLE)
                .description("Writes refused at once because the primary is down")
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
            if (node.isReplica()) {
                keep(io.micrometer.core.instrument.Gauge.builder(REPLICA_LAG, node, NodePool::lagSecondsOrNaN)
                        .description("Replication lag seen by the monitor (Seconds_Behind_Master/Source); NaN when unknown or broken")
                        .baseUnit("seconds")
                        .tag("router", router).tag("node", name).register(registry));
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

    void primaryUnavailable() {
        primaryUnavailable.increment();
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
