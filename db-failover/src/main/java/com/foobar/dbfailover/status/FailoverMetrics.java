package com.foobar.dbfailover.status;

import com.foobar.dbfailover.report.Event;
import com.foobar.dbfailover.report.EventKind;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The decider's Prometheus metrics, read from the latest {@link StatusSnapshot} (gauges) and counted from the
 * events. Names as Prometheus shows them:
 *
 * <ul>
 *   <li>{@code db_failover_node_up{node}} 1 when the node answered its last probe;</li>
 *   <li>{@code db_failover_node_role{node,role}} 1 for the node's role (see {@link NodeView#role()});</li>
 *   <li>{@code db_failover_node_replication_lag_seconds{node}} NaN when unknown or not a replica;</li>
 *   <li>{@code db_failover_node_errant_transactions{node}} transactions a refused node has that the primary lacks;</li>
 *   <li>{@code db_failover_primary_silent_seconds} how long the primary has not answered;</li>
 *   <li>{@code db_failover_semi_sync_active} 1 when the primary's commits wait for a replica, 0 when semi-sync is on
 *       but fell back to asynchronous, NaN when it is off or unknown;</li>
 *   <li>{@code db_failover_probe_duration_seconds{node}} (count, sum, max): how long probes take;</li>
 *   <li>{@code db_failover_events_total{kind}}, {@code db_failover_promotions_total{outcome}},
 *       {@code db_failover_promotion_duration_seconds}.</li>
 * </ul>
 *
 * <p>Every gauge holds its snapshot supplier strongly: Micrometer keeps a weak reference by default, and a lambda
 * nothing else refers to is collected by the next GC, after which the gauge reads NaN.
 */
public final class FailoverMetrics {
    public static final List<String> ROLES = List.of("primary", "replica", "fenced", "refused", "detached",
            "extra-writer", "unknown");

    private final MeterRegistry registry;
    private final Map<EventKind, Counter> events = new EnumMap<>(EventKind.class);
    private final Timer promotionDuration;
    private final Map<String, Timer> probes = new java.util.HashMap<>();

    public FailoverMetrics(MeterRegistry registry, List<String> nodes, Supplier<StatusSnapshot> snapshot) {
        this.registry = registry;
        for (String node : nodes) {
            probes.put(node, Timer.builder("db.failover.probe.duration")
                    .description("how long a probe of the node took, answered or not (the max shows a slow node)")
                    .tag("node", node).register(registry));
            gauge("db.failover.node.up", "1 when the node answered its last probe", node, snapshot,
                    n -> n.up() ? 1 : 0);
            gauge("db.failover.node.replication.lag.seconds", "replication lag the node reports; NaN when unknown",
                    node, snapshot, n -> n.replication() == null || n.replication().secondsBehind() == null
                            ? Double.NaN : n.replication().secondsBehind());
            gauge("db.failover.node.errant.transactions", "transactions a refused node has that the primary lacks",
                    node, snapshot, n -> n.errantTransactions());
            for (String role : ROLES) {
                Gauge.builder("db.failover.node.role", snapshot, s -> {
                            NodeView n = find(s.get(), node);
                            return n != null && role.equals(n.role()) ? 1 : 0;
                        })
                        .description("1 for the node's role as the decider sees it")
                        .tag("node", node).tag("role", role)
                        .strongReference(true)
                        .register(registry);
            }
        }
        Gauge.builder("db.failover.primary.silent.seconds", snapshot, supplier -> {
            StatusSnapshot s = supplier.get();
            NodeView p = s.primary() == null ? null : find(s, s.primary());
            return p == null ? Double.NaN : p.silentSeconds();
        }).description("how long the primary has not answered a probe").strongReference(true).register(registry);
        Gauge.builder("db.failover.semi.sync.active", snapshot, supplier -> {
            StatusSnapshot s = supplier.get();
            NodeView p = s.primary() == null ? null : find(s, s.primary());
            if (p == null || p.semiSync() == null || !p.semiSync().sourceEnabled()) {
                return Double.NaN;
            }
            return p.semiSync().sourceActive() ? 1 : 0;
        }).description("1 when the primary's commits wait for a replica; 0 when semi-sync fell back to asynchronous")
                .strongReference(true).register(registry);
        for (EventKind kind : EventKind.values()) {
            events.put(kind, Counter.builder("db.failover.events").description("decisions and findings, by kind")
                    .tag("kind", kind.label()).register(registry));
        }
        for (String outcome : List.of("promoted", "failed", "called-off")) {
            Counter.builder("db.failover.promotions").description("promotions attempted, by outcome")
                    .tag("outcome", outcome).register(registry);
        }
        promotionDuration = Timer.builder("db.failover.promotion.duration")
                .description("from the decision to promote to the new primary taking writes").register(registry);
    }

    private void gauge(String name, String description, String node, Supplier<StatusSnapshot> snapshot,
                       ToDoubleFunction<NodeView> value) {
        Gauge.builder(name, snapshot, s -> {
            NodeView n = find(s.get(), node);
            return n == null ? Double.NaN : value.applyAsDouble(n);
        }).description(description).tag("node", node).strongReference(true).register(registry);
    }

    private static NodeView find(StatusSnapshot s, String node) {
        if (s == null) {
            return null;
        }
        for (NodeView n : s.nodes()) {
            if (n.name().equals(node)) {
                return n;
            }
        }
        return null;
    }

    public void event(Event e) {
        events.get(e.kind()).increment();
        switch (e.kind()) {
            case PROMOTED -> registry.counter("db.failover.promotions", "outcome", "promoted").increment();
            case PROMOTION_FAILED -> registry.counter("db.failover.promotions", "outcome", "failed").increment();
            case PROMOTION_CALLED_OFF -> registry.counter("db.failover.promotions", "outcome", "called-off").increment();
            default -> {
            }
        }
    }

    public void probed(com.foobar.dbfailover.probe.NodeState state) {
        Timer t = probes.get(state.name());
        if (t != null) {
            t.record(state.took());
        }
    }

    public void promotionTook(Duration d) {
        promotionDuration.record(d);
    }
}
