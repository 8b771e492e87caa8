package com.foobar.dbfailover;

import com.foobar.dbfailover.config.FailoverConfig;
import com.foobar.dbfailover.config.NodeConfig;
import com.foobar.dbfailover.decision.Decider;
import com.foobar.dbfailover.report.Event;
import com.foobar.dbfailover.report.EventLog;
import com.foobar.dbfailover.status.FailoverMetrics;
import com.foobar.dbfailover.status.StatusServer;
import com.foobar.dbfailover.status.StatusSnapshot;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;

/**
 * A running failover decider: the probes, the decider and its status endpoint.
 *
 * <pre>{@code
 * try (Failover f = Failover.start(FailoverConfig.builder()
 *         .node("primary", "127.0.0.1", 13306).node("replica-1", "127.0.0.1", 13307)
 *         .user("failover", "...").replicationUser("repl", "...").build(), System.out)) {
 *     f.status().primary();         // "primary", and "replica-1" after a failover
 * }
 * }</pre>
 */
public final class Failover implements AutoCloseable {
    private final Decider decider;
    private final StatusServer server;
    private final EventLog events;
    private final PrometheusMeterRegistry registry;

    private Failover(Decider decider, StatusServer server, EventLog events, PrometheusMeterRegistry registry) {
        this.decider = decider;
        this.server = server;
        this.events = events;
        this.registry = registry;
    }

    /**
     * Binds the status endpoint (failing at once when it cannot), then starts watching.
     *
     * @param out where the events go, one line each (stdout in production)
     */
    public static Failover start(FailoverConfig config, PrintStream out) throws IOException {
        Clock clock = Clock.systemUTC();
        EventLog events = new EventLog(out, clock, config.eventsKept());
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Decider[] holder = new Decider[1];
        FailoverMetrics metrics = new FailoverMetrics(registry, config.nodes().stream().map(NodeConfig::name).toList(),
                () -> holder[0].snapshot());
        events.onEvent(metrics::event);
        Decider decider = new Decider(config, clock, events, metrics);
        holder[0] = decider;
        StatusServer server = StatusServer.start(config.statusHost(), config.statusPort(), decider::snapshot, registry);
        decider.start();
        return new Failover(decider, server, events, registry);
    }

    public StatusSnapshot status() {
        return decider.snapshot();
    }

    public InetSocketAddress statusAddress() {
        return server.address();
    }

    /** The events kept, oldest first. */
    public List<Event> events() {
        return events.recent();
    }

    /** Prometheus text, as {@code /metrics} serves it. */
    public String metrics() {
        return registry.scrape();
    }

    @Override
    public void close() {
        server.close();
        decider.close();
    }
}
