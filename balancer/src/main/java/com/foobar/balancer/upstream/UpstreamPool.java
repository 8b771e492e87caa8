package com.foobar.balancer.upstream;

import com.foobar.balancer.config.OutlierDetectionConfig;
import com.foobar.balancer.config.PoolConfig;
import com.foobar.balancer.events.EventJournal;
import com.foobar.balancer.lb.LoadBalancingPolicies;
import com.foobar.balancer.lb.LoadBalancingPolicy;
import com.foobar.balancer.lb.RequestContext;
import com.foobar.balancer.lb.ServerSelector;
import com.foobar.balancer.metrics.BalancerMetrics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * A pool at run time: its servers and the selectors that pick among them. A reload swaps the whole snapshot at once,
 * so a request sees either the old pool or the new one, never a mix.
 */
public final class UpstreamPool {
    private static final Predicate<UpstreamServer> USABLE = UpstreamServer::usable;

    private final String name;
    private final BalancerMetrics metrics;
    private final LongSupplier clock;
    private final EventJournal events;
    private volatile Snapshot snapshot;

    private record Snapshot(PoolConfig config, List<UpstreamServer> servers, Map<String, UpstreamServer> byName,
            ServerSelector<UpstreamServer> primaries, ServerSelector<UpstreamServer> backups) {
    }

    UpstreamPool(PoolConfig config, BalancerMetrics metrics, LongSupplier clock, EventJournal events) {
        this.name = config.name();
        this.metrics = metrics;
        this.clock = clock;
        this.events = events;
        // A first snapshot without servers, so servers created below can already read the pool's config.
        this.snapshot = new Snapshot(config, List.of(), Map.of(), null, null);
        List<UpstreamServer> servers = new ArrayList<>();
        for (var sc : config.servers()) {
            servers.add(newServer(sc, false));
        }
        install(config, servers);
    }

    /** Where its servers' state changes are told. */
    EventJournal events() {
        return events;
    }

    UpstreamServer newServer(com.foobar.balancer.config.ServerConfig sc, boolean rampUp) {
        UpstreamServer s = new UpstreamServer(this, sc, clock, rampUp);
        s.gauges(metrics.registerServer(name, sc.name(), s, FailureKind.LABELS));
        return s;
    }

    void install(PoolConfig config, List<UpstreamServer> servers) {
        List<UpstreamServer> primaries = new ArrayList<>();
        List<UpstreamServer> backups = new ArrayList<>();
        Map<String, UpstreamServer> byName = new LinkedHashMap<>();
        for (UpstreamServer s : servers) {
            (s.backup() ? backups : primaries).add(s);
            byName.put(s.name(), s);
        }
        LoadBalancingPolicy policy = LoadBalancingPolicies.get(config.algorithm());
        snapshot = new Snapshot(config, List.copyOf(servers), Collections.unmodifiableMap(byName),
                primaries.isEmpty() ? null : policy.newSelector(List.copyOf(primaries), config.hashKey()),
                backups.isEmpty() ? null : policy.newSelector(List.copyOf(backups), config.hashKey()));
    }

    public String name() {
        return name;
    }

    public PoolConfig config() {
        return snapshot.config;
    }

    /** All servers, primaries and backups, in configuration order. */
    public List<UpstreamServer> servers() {
        return snapshot.servers;
    }

    /** The server of that name, or null. */
    public UpstreamServer server(String serverName) {
        return snapshot.byName.get(serverName);
    }

    /**
     * A server for this request, or null when none is usable. Primaries first; backups only when no primary is usable
     * for this request. Skips DOWN, EJECTED and DRAINING servers and those in {@code exclude} (already tried).
     */
    public UpstreamServer select(RequestContext ctx, Set<UpstreamServer> exclude) {
        Predicate<UpstreamServer> usable = exclude == null || exclude.isEmpty()
                ? USABLE : server -> server.usable() && !exclude.contains(server);
        Snapshot s = snapshot;
        UpstreamServer chosen = select(s, ctx, usable);
        // A reload that swapped the snapshot while we picked from the old one drains the old servers: look again.
        for (int i = 0; chosen == null && s != snapshot && i < 3; i++) {
            s = snapshot;
            chosen = select(s, ctx, usable);
        }
        return chosen;
    }

    private static UpstreamServer select(Snapshot s, RequestContext ctx, Predicate<UpstreamServer> usable) {
        UpstreamServer chosen = s.primaries == null ? null : s.primaries.select(ctx, usable);
        if (chosen == null && s.backups != null) {
            chosen = s.backups.select(ctx, usable);
        }
        return chosen;
    }

    /**
     * Ejects {@code server} unless that would put more than max_ejection_percent of the pool out (one always may);
     * {@code why} is the streak that asked for it, for the event log.
     */
    void tryEject(UpstreamServer server, String why) {
        OutlierDetectionConfig od = config().outlierDetection();
        boolean done;
        synchronized (this) {
            long now = clock.getAsLong();
            if (server.ejectedNow(now) || server.removed()) {
                return;
            }
            List<UpstreamServer> all = servers();
            int ejectedCount = 0;
            for (UpstreamServer s : all) {
                if (s.ejectedNow(now)) {
                    ejectedCount++;
                }
            }
            int limit = Math.max(1, all.size() * od.maxEjectionPercent() / 100);
            if (ejectedCount >= limit) {
                return;
            }
            done = server.ejectUntilLocked(now, od, why);
        }
        if (done) {
            metrics.ejected(name, server.name());
        }
    }

    @Override
    public String toString() {
        return "pool " + name + " " + servers();
    }
}
