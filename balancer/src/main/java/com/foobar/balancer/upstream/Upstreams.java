package com.foobar.balancer.upstream;

import com.foobar.balancer.config.BalancerConfig;
import com.foobar.balancer.config.Durations;
import com.foobar.balancer.config.PoolConfig;
import com.foobar.balancer.config.ServerConfig;
import com.foobar.balancer.health.HealthChecker;
import com.foobar.balancer.metrics.BalancerMetrics;
import io.netty.channel.EventLoopGroup;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * All pools at run time, and the active health checks that watch their servers. {@link #apply} reloads a new
 * configuration in place: servers that stay (same pool, name and address) keep their health, drain, ejection and load
 * state; servers that leave drain; pools and servers that arrive start up.
 */
public final class Upstreams implements AutoCloseable {
    private final BalancerMetrics metrics;
    private final HealthChecker healthChecker;
    private final LongSupplier clock;
    private volatile Map<String, UpstreamPool> pools;
    private BalancerConfig config; // guarded by this

    private Upstreams(BalancerConfig cfg, BalancerMetrics metrics, EventLoopGroup group, LongSupplier clock) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.clock = clock;
        this.config = cfg;
        Map<String, UpstreamPool> m = new LinkedHashMap<>();
        for (PoolConfig pc : cfg.pools().values()) {
            m.put(pc.name(), new UpstreamPool(pc, metrics, clock));
        }
        this.pools = Collections.unmodifiableMap(m);
        this.healthChecker = group == null ? null : new HealthChecker(group, metrics);
        syncHealthChecks(List.of());
    }

    /** Builds the pools and starts active health checks on {@code group} (null: no active checks, for tests). */
    public static Upstreams start(BalancerConfig cfg, BalancerMetrics metrics, EventLoopGroup group) {
        return new Upstreams(cfg, metrics, group, System::nanoTime);
    }

    /** With a clock of our own, so tests can move time for slow start and ejection. */
    static Upstreams start(BalancerConfig cfg, BalancerMetrics metrics, EventLoopGroup group, LongSupplier clock) {
        return new Upstreams(cfg, metrics, group, clock);
    }

    /** The pool of that name, or null. */
    public UpstreamPool pool(String name) {
        return pools.get(name);
    }

    /** All pools in declaration order. */
    public Collection<UpstreamPool> pools() {
        return pools.values();
    }

    /** The configuration last applied. */
    public synchronized BalancerConfig config() {
        return config;
    }

    /** Applies a new configuration's pools, servers and weights, keeping the state of what stays. */
    public synchronized ReloadReport apply(BalancerConfig next) {
        List<String> applied = new ArrayList<>();
        List<String> restart = new ArrayList<>();
        List<UpstreamServer> gone = new ArrayList<>();
        Map<String, UpstreamPool> current = pools;
        Map<String, UpstreamPool> m = new LinkedHashMap<>();
        for (PoolConfig pc : next.pools().values()) {
            UpstreamPool existing = current.get(pc.name());
            if (existing == null) {
                m.put(pc.name(), new UpstreamPool(pc, metrics, clock));
                applied.add("pools." + pc.name() + ": added with " + pc.servers().size() + " server(s)");
            } else {
                update(existing, pc, applied, gone);
                m.put(pc.name(), existing);
            }
        }
        for (UpstreamPool old : current.values()) {
            if (!m.containsKey(old.name())) {
                gone.addAll(old.servers());
                applied.add("pools." + old.name() + ": removed; its servers drain");
            }
        }
        if (!next.admin().bind().equals(config.admin().bind())) {
            restart.add("admin.bind: " + config.admin().bind() + " -> " + next.admin().bind() + " needs a restart");
        }
        pools = Collections.unmodifiableMap(m);
        for (UpstreamServer s : gone) {
            s.markRemoved();
        }
        config = next;
        syncHealthChecks(gone);
        return new ReloadReport(applied, restart);
    }

    private void update(UpstreamPool pool, PoolConfig pc, List<String> applied, List<UpstreamServer> gone) {
        String at = "pools." + pool.name();
        PoolConfig old = pool.config();
        describeSettings(at, old, pc, applied);
        List<UpstreamServer> servers = new ArrayList<>();
        for (ServerConfig sc : pc.servers()) {
            UpstreamServer kept = pool.server(sc.name());
            if (kept != null && kept.address().equals(sc.address())) {
                ServerConfig was = kept.config();
                if (was.weight() != sc.weight()) {
                    applied.add(at + ".servers." + sc.name() + ": weight " + was.weight() + " -> " + sc.weight());
                }
                if (was.backup() != sc.backup()) {
                    applied.add(at + ".servers." + sc.name() + ": backup " + was.backup() + " -> " + sc.backup());
                }
                kept.updateConfig(sc);
                servers.add(kept);
            } else {
                if (kept != null) {
                    gone.add(kept);
                    kept.closeGauges(); // the new server of that name registers the same gauge names
                    applied.add(at + ".servers." + sc.name() + ": address " + kept.address() + " -> " + sc.address());
                } else {
                    applied.add(at + ".servers." + sc.name() + ": added at " + sc.address());
                }
                servers.add(pool.newServer(sc, true));
            }
        }
        for (UpstreamServer s : pool.servers()) {
            if (pc.server(s.name()) == null) {
                gone.add(s);
                applied.add(at + ".servers." + s.name() + ": removed; it drains");
            }
        }
        // One swap: a request sees the old server list or the new one, never an empty one in between.
        pool.install(pc, servers);
    }

    private static void describeSettings(String at, PoolConfig a, PoolConfig b, List<String> out) {
        if (!a.algorithm().equals(b.algorithm())) {
            out.add(at + ".algorithm: " + a.algorithm() + " -> " + b.algorithm());
        }
        if (!Objects.equals(a.hashKey(), b.hashKey())) {
            out.add(at + ".hash_key: " + a.hashKey() + " -> " + b.hashKey());
        }
        if (!Objects.equals(a.healthCheck(), b.healthCheck())) {
            out.add(at + ".health_check: changed");
        }
        if (!a.outlierDetection().equals(b.outlierDetection())) {
            out.add(at + ".outlier_detection: changed");
        }
        if (!a.slowStart().equals(b.slowStart())) {
            out.add(at + ".slow_start: " + Durations.format(a.slowStart()) + " -> " + Durations.format(b.slowStart()));
        }
        if (a.retries() != b.retries()) {
            out.add(at + ".retries: " + a.retries() + " -> " + b.retries());
        }
        if (!a.connectTimeout().equals(b.connectTimeout())) {
            out.add(at + ".connect_timeout: " + Durations.format(a.connectTimeout()) + " -> "
                    + Durations.format(b.connectTimeout()));
        }
        if (!a.responseTimeout().equals(b.responseTimeout())) {
            out.add(at + ".response_timeout: " + Durations.format(a.responseTimeout()) + " -> "
                    + Durations.format(b.responseTimeout()));
        }
        if (!a.keepAlive().equals(b.keepAlive())) {
            out.add(at + ".keepalive: changed");
        }
    }

    private void syncHealthChecks(List<UpstreamServer> gone) {
        for (UpstreamServer s : gone) {
            if (healthChecker != null) {
                healthChecker.unwatch(s);
            }
        }
        for (UpstreamPool pool : pools.values()) {
            var hc = pool.config().healthCheck();
            for (UpstreamServer s : pool.servers()) {
                if (hc != null && healthChecker != null) {
                    healthChecker.watch(s, hc);
                } else {
                    if (healthChecker != null) {
                        healthChecker.unwatch(s);
                    }
                    s.healthChanged(true, "no active health check");
                }
            }
        }
    }

    /** Stops the health checks. Pools keep answering {@link UpstreamPool#select} for requests still in flight. */
    @Override
    public void close() {
        if (healthChecker != null) {
            healthChecker.close();
        }
    }
}
