package com.foobar.balancer.upstream;

import com.foobar.balancer.config.BalancerConfig;
import com.foobar.balancer.config.DnsConfig;
import com.foobar.balancer.config.Durations;
import com.foobar.balancer.config.PoolConfig;
import com.foobar.balancer.config.ServerConfig;
import com.foobar.balancer.discovery.NameRefresher;
import com.foobar.balancer.discovery.ResolveTarget;
import com.foobar.balancer.events.EventJournal;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.LongSupplier;

/**
 * All pools at run time, the active health checks that watch their servers, and the re-resolution of server names.
 * {@link #apply} reloads a new configuration in place: servers that stay (same pool, name and address) keep their
 * health, drain, ejection and load state and their resolved address; servers that leave drain; pools and servers that
 * arrive start up.
 */
public final class Upstreams implements AutoCloseable {
    private final BalancerMetrics metrics;
    private final HealthChecker healthChecker;
    private final NameRefresher names;
    private final LongSupplier clock;
    private final EventJournal events;
    private volatile Map<String, UpstreamPool> pools;
    private BalancerConfig config; // guarded by this: what runs, with the discovered servers
    private BalancerConfig configured; // guarded by this: as loaded, without them
    /** The pools with a {@code discover} name, by pool; guarded by this. */
    private final Map<String, PoolDiscovery> discoveries = new LinkedHashMap<>();
    /** Applies what discovery found, off the resolver's loop (a reload may wait on that loop under this lock). */
    private final ExecutorService discoveryApplier;

    private Upstreams(BalancerConfig cfg, BalancerMetrics metrics, EventJournal events, EventLoopGroup group,
            LongSupplier clock) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.events = Objects.requireNonNull(events, "events");
        this.clock = clock;
        this.config = cfg;
        this.configured = cfg;
        Map<String, UpstreamPool> m = new LinkedHashMap<>();
        for (PoolConfig pc : cfg.pools().values()) {
            m.put(pc.name(), new UpstreamPool(pc, metrics, clock, events));
        }
        this.pools = Collections.unmodifiableMap(m);
        this.names = group == null ? null : NameRefresher.start(cfg.dns());
        // As when names were resolved at load: the start waits (briefly) for the first answers, so the servers have
        // their addresses before traffic and the first health checks come.
        List<UpstreamServer> all = new ArrayList<>();
        m.values().forEach(p -> all.addAll(p.servers()));
        awaitFirstAnswers(watchNames(all), cfg.dns());
        this.healthChecker = group == null ? null : new HealthChecker(group, metrics);
        syncHealthChecks(List.of());
        this.discoveryApplier = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "balancer-discovery");
            t.setDaemon(true);
            return t;
        });
        synchronized (this) {
            awaitFirstAnswers(syncDiscoveries(cfg), cfg.dns());
            applyDiscovered();
        }
    }

    /**
     * Builds the pools, starts re-resolving server names and active health checks on {@code group} (null: neither,
     * for tests; a server named by a host name then never gets an address).
     */
    public static Upstreams start(BalancerConfig cfg, BalancerMetrics metrics, EventLoopGroup group) {
        return start(cfg, metrics, EventJournal.toStderr(), group);
    }

    /** As {@link #start(BalancerConfig, BalancerMetrics, EventLoopGroup)}; server state changes go to {@code events}. */
    public static Upstreams start(BalancerConfig cfg, BalancerMetrics metrics, EventJournal events,
            EventLoopGroup group) {
        return new Upstreams(cfg, metrics, events, group, System::nanoTime);
    }

    /** With a clock of our own, so tests can move time for slow start and ejection. */
    static Upstreams start(BalancerConfig cfg, BalancerMetrics metrics, EventLoopGroup group, LongSupplier clock) {
        return new Upstreams(cfg, metrics, EventJournal.toStderr(), group, clock);
    }

    /** Where server state changes are told. */
    public EventJournal events() {
        return events;
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

    /**
     * Applies a new configuration's pools, servers and weights, keeping the state of what stays. A pool's discovered
     * servers stay too while its {@code discover} name is the same.
     */
    public synchronized ReloadReport apply(BalancerConfig next) {
        configured = next;
        List<PoolDiscovery> started = syncDiscoveries(next);
        ReloadReport report = applyRunning(withDiscovered(next));
        if (!started.isEmpty()) {
            awaitFirstAnswers(started, next.dns());
            applyDiscovered();
        }
        return report;
    }

    /**
     * Starts asking the {@code discover} names of {@code next}'s pools and stops asking those no pool has any more;
     * returns the discoveries started (a pool that keeps its name keeps its discovery and what it found).
     */
    private List<PoolDiscovery> syncDiscoveries(BalancerConfig next) {
        List<PoolDiscovery> started = new ArrayList<>();
        for (var it = discoveries.values().iterator(); it.hasNext(); ) {
            PoolDiscovery d = it.next();
            PoolConfig pc = next.pools().get(d.pool());
            if (pc == null || !d.address().equals(pc.discover())) {
                it.remove();
                if (names != null) {
                    names.unwatch(d);
                }
            }
        }
        for (PoolConfig pc : next.pools().values()) {
            if (pc.discover() == null) {
                continue;
            }
            PoolDiscovery d = discoveries.get(pc.name());
            if (d == null) {
                d = new PoolDiscovery(pc.name(), pc.discover(), this::discoveryChanged);
                discoveries.put(pc.name(), d);
                started.add(d);
            }
            if (names != null) {
                names.watch(d, pc.resolveInterval());
            }
        }
        return started;
    }

    /** On the resolver's loop: a discover name gave another set of addresses. */
    private void discoveryChanged() {
        try {
            discoveryApplier.execute(this::applyDiscovered);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            // stopping: the servers stay as they are
        }
    }

    /** Brings every discovered pool's servers to what its name gave last; each server added or gone is an event. */
    private synchronized void applyDiscovered() {
        BalancerConfig next = withDiscovered(configured);
        if (next.equals(config)) {
            return;
        }
        Map<String, List<String>> before = discoveredNames(config);
        applyRunning(next);
        Map<String, List<String>> after = discoveredNames(next);
        for (PoolDiscovery d : discoveries.values()) {
            List<String> was = before.getOrDefault(d.pool(), List.of());
            List<String> now = after.getOrDefault(d.pool(), List.of());
            for (String s : now) {
                if (!was.contains(s)) {
                    events.server(d.pool(), s, "discovered: " + d.address().host() + " gives it (" + now.size()
                            + " server(s) found)");
                }
            }
            for (String s : was) {
                if (!now.contains(s)) {
                    events.server(d.pool(), s, "gone from " + d.address().host() + ": it drains (" + now.size()
                            + " server(s) found)");
                }
            }
        }
    }

    /** {@code cfg} with each discovered pool's servers after its configured ones. */
    private BalancerConfig withDiscovered(BalancerConfig cfg) {
        if (discoveries.isEmpty()) {
            return cfg;
        }
        Map<String, PoolConfig> m = new LinkedHashMap<>();
        for (PoolConfig pc : cfg.pools().values()) {
            PoolDiscovery d = discoveries.get(pc.name());
            if (d == null) {
                m.put(pc.name(), pc);
                continue;
            }
            List<ServerConfig> all = new ArrayList<>(pc.servers());
            for (ServerConfig found : d.servers()) {
                if (pc.server(found.name()) == null) {
                    all.add(found);
                }
            }
            m.put(pc.name(), pc.withServers(all));
        }
        return cfg.withPools(m);
    }

    private Map<String, List<String>> discoveredNames(BalancerConfig cfg) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (PoolDiscovery d : discoveries.values()) {
            PoolConfig pc = cfg.pools().get(d.pool());
            PoolConfig loaded = configured.pools().get(d.pool());
            List<String> names = new ArrayList<>();
            if (pc != null) {
                for (ServerConfig sc : pc.servers()) {
                    if (loaded == null || loaded.server(sc.name()) == null) {
                        names.add(sc.name());
                    }
                }
            }
            out.put(d.pool(), names);
        }
        return out;
    }

    /** Makes {@code next} (the configuration with the discovered servers) the running one. */
    private ReloadReport applyRunning(BalancerConfig next) {
        List<String> applied = new ArrayList<>();
        List<String> restart = new ArrayList<>();
        List<UpstreamServer> gone = new ArrayList<>();
        List<UpstreamServer> arriving = new ArrayList<>();
        List<Runnable> installs = new ArrayList<>();
        Map<String, UpstreamPool> current = pools;
        Map<String, UpstreamPool> m = new LinkedHashMap<>();
        for (PoolConfig pc : next.pools().values()) {
            UpstreamPool existing = current.get(pc.name());
            if (existing == null) {
                UpstreamPool added = new UpstreamPool(pc, metrics, clock, events);
                arriving.addAll(added.servers());
                m.put(pc.name(), added);
                applied.add("pools." + pc.name() + ": added with " + pc.servers().size() + " server(s)");
            } else {
                installs.add(update(existing, pc, applied, gone, arriving));
                m.put(pc.name(), existing);
            }
        }
        describeDns(config.dns(), next.dns(), applied, restart);
        // Arriving servers get their first answers before they join, so a reload that renames a server's host does
        // not leave it without an address (down) for the moment of the query.
        if (names != null) {
            names.floor(next.dns().minTtl());
        }
        awaitFirstAnswers(watchNames(arriving), next.dns());
        installs.forEach(Runnable::run);
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
        unwatchNames(gone);
        watchNames(allServers()); // a changed resolve_interval applies to the servers that stayed
        syncHealthChecks(gone);
        return new ReloadReport(applied, restart);
    }

    /**
     * The server list {@code pc} gives {@code pool}, with its servers that stay; returns the swap that installs it.
     * New servers are made (and listed in {@code arriving}) but join only when the swap runs.
     */
    private Runnable update(UpstreamPool pool, PoolConfig pc, List<String> applied, List<UpstreamServer> gone,
            List<UpstreamServer> arriving) {
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
                UpstreamServer fresh = pool.newServer(sc, true);
                arriving.add(fresh);
                servers.add(fresh);
            }
        }
        for (UpstreamServer s : pool.servers()) {
            if (pc.server(s.name()) == null) {
                gone.add(s);
                applied.add(at + ".servers." + s.name() + ": removed; it drains");
            }
        }
        // One swap: a request sees the old server list or the new one, never an empty one in between.
        return () -> pool.install(pc, servers);
    }

    private List<UpstreamServer> allServers() {
        List<UpstreamServer> all = new ArrayList<>();
        for (UpstreamPool p : pools.values()) {
            all.addAll(p.servers());
        }
        return all;
    }

    /** Re-resolves the names among {@code servers} with their pool's interval; returns the servers with a name. */
    private List<UpstreamServer> watchNames(List<UpstreamServer> servers) {
        List<UpstreamServer> named = new ArrayList<>();
        if (names == null) {
            return named;
        }
        for (UpstreamServer s : servers) {
            if (!s.address().isIpLiteral()) {
                s.nameWatch(names.watch(s, s.pool().config().resolveInterval()));
                named.add(s);
            }
        }
        return named;
    }

    private void unwatchNames(List<UpstreamServer> servers) {
        if (names == null) {
            return;
        }
        for (UpstreamServer s : servers) {
            names.unwatch(s);
            s.nameWatch(null);
        }
    }

    /**
     * Waits, on the starting or reloading thread (never an event loop), for the first answers about {@code servers}'
     * names: up to twice the query timeout, then the servers still waiting start without an address (down) and get one
     * when their answer comes.
     */
    private void awaitFirstAnswers(List<? extends ResolveTarget> servers, DnsConfig dns) {
        if (names == null || servers.isEmpty()) {
            return;
        }
        try {
            names.awaitFirstAnswers(servers, dns.timeout().multipliedBy(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void describeDns(DnsConfig a, DnsConfig b, List<String> applied, List<String> restart) {
        if (!a.minTtl().equals(b.minTtl())) {
            applied.add("dns.min_ttl: " + Durations.format(a.minTtl()) + " -> " + Durations.format(b.minTtl()));
        }
        if (!a.nameservers().equals(b.nameservers()) || !a.timeout().equals(b.timeout())) {
            restart.add("dns: nameservers and timeout changes need a restart");
        }
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
        if (!a.resolveInterval().equals(b.resolveInterval())) {
            out.add(at + ".resolve_interval: " + Durations.format(a.resolveInterval()) + " -> "
                    + Durations.format(b.resolveInterval()));
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

    /**
     * Stops the health checks and the re-resolution (closing the DNS resolver). Pools keep answering
     * {@link UpstreamPool#select} for requests still in flight, with the addresses they have.
     */
    @Override
    public void close() {
        discoveryApplier.shutdownNow();
        if (healthChecker != null) {
            healthChecker.close();
        }
        if (names != null) {
            names.close();
        }
    }
}
