package com.foobar.balancer.upstream;

import com.foobar.balancer.config.HostPort;
import com.foobar.balancer.config.OutlierDetectionConfig;
import com.foobar.balancer.config.ServerConfig;
import com.foobar.balancer.discovery.NameWatch;
import com.foobar.balancer.discovery.ResolveTarget;
import com.foobar.balancer.discovery.ResolvedAddress;
import com.foobar.balancer.health.HealthCheckTarget;
import com.foobar.balancer.lb.Endpoint;
import com.foobar.balancer.metrics.ServerGaugeSource;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The runtime state of one upstream server: health verdict, operator drain, outlier ejection, slow-start ramp, and
 * the load figures the algorithms read (in-flight, peak-EWMA latency). Every read on the request path is a volatile
 * read or an atomic; nothing here blocks an event loop.
 *
 * <p>Its configured address stays; where it connects may move: a server named by a host name is re-resolved by the
 * {@link com.foobar.balancer.discovery.NameRefresher}, which hands each outcome to {@link #resolved(ResolvedAddress)}.
 * A move changes nothing else (health, drain, ejection, counters and metrics are the server's, not its address's).
 * A name that has never resolved leaves the server without an address, and so {@code down}.
 */
public final class UpstreamServer implements Endpoint, HealthCheckTarget, ServerGaugeSource, ResolveTarget {
    /** A returning server gets at least this share of its weight, so weighted algorithms never divide by zero. */
    static final double MIN_SLOW_START_FRACTION = 0.01;
    /** How fast the peak-EWMA forgets (Finagle's default decay time). */
    static final Duration EWMA_DECAY = Duration.ofSeconds(10);

    private static final double EWMA_DECAY_NANOS = EWMA_DECAY.toNanos();

    private final UpstreamPool pool;
    private final String name;
    private final HostPort address;
    private final LongSupplier clock;
    private volatile ServerConfig config;
    /** Where to connect now, and how the name stands. The request path reads it once per connect. */
    private volatile ResolvedAddress resolved;
    /** The re-resolution of the name; null for an IP literal (or when nothing resolves names, in tests). */
    private volatile NameWatch nameWatch;

    private volatile boolean healthy = true;
    private volatile boolean draining;
    private volatile boolean removed;
    private volatile boolean ejected;
    private volatile long ejectedUntil;
    private volatile long upSince;
    private int ejections; // guarded by the pool

    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    private final AtomicInteger consecutive5xx = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final LongAdder requests = new LongAdder();
    private final LongAdder failures = new LongAdder();

    private final Object ewmaLock = new Object();
    private volatile double ewma;
    private volatile long ewmaStamp;

    private AutoCloseable gauges;

    UpstreamServer(UpstreamPool pool, ServerConfig config, LongSupplier clock, boolean rampUp) {
        this.pool = pool;
        this.name = config.name();
        this.address = config.address();
        // An IP literal is the address; a name has none until the refresher's first answer (never a blocking lookup).
        this.resolved = ResolvedAddress.initial(address);
        this.clock = clock;
        this.config = config;
        long now = clock.getAsLong();
        // At startup every server has its full weight; one added by a reload ramps up like a returning one.
        this.upSince = rampUp ? now : now - pool.config().slowStart().toNanos();
        this.ewmaStamp = now;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String poolName() {
        return pool.name();
    }

    public UpstreamPool pool() {
        return pool;
    }

    @Override
    public HostPort address() {
        return address;
    }

    /** Where to connect now: the IP literal, or the name's current address; null while the name never resolved. */
    @Override
    public InetSocketAddress socketAddress() {
        return resolved.address();
    }

    @Override
    public ResolvedAddress resolved() {
        return resolved;
    }

    /**
     * Takes the outcome of a query for the server's name (on the resolver's event loop) and logs what changed, once
     * per change of condition: the first address, a new address, a name that stopped resolving (the address is kept)
     * or never did (the server takes no requests), a name that resolves again. Connections already open to an old
     * address finish their requests; idle pooled ones are closed by the proxy, which compares addresses.
     */
    @Override
    public void resolved(ResolvedAddress next) {
        ResolvedAddress prev = resolved;
        if (next == prev) {
            return;
        }
        resolved = next;
        InetSocketAddress was = prev.address();
        InetSocketAddress now = next.address();
        if (now != null && now != was) {
            pool.events().server(pool.name(), name, was == null
                    ? "address resolved: " + address + " is " + next.addressText()
                    : "address changed: " + address + " " + ResolvedAddress.text(was) + " -> " + next.addressText());
        } else if (next.problem() != null
                && (prev.status() != next.status() || !Objects.equals(prev.problem(), next.problem()))) {
            pool.events().server(pool.name(), name, now != null
                    ? "address kept: " + address.host() + " does not resolve (" + next.problem() + "); still using "
                            + next.addressText() + " and asking again"
                    : "has no address: " + address.host() + " does not resolve (" + next.problem()
                            + "); it takes no requests until it does");
        } else if (prev.status() == ResolvedAddress.Status.HELD && next.status() == ResolvedAddress.Status.RESOLVED) {
            pool.events().server(pool.name(), name, "address confirmed: " + address.host() + " resolves again to "
                    + next.addressText());
        }
    }

    /**
     * A connect to the server failed (refused or timed out): when its name is re-resolved, it is asked again soon,
     * as the server may have come back elsewhere. Cheap and safe from any event loop.
     */
    @Override
    public void connectFailed() {
        NameWatch w = nameWatch;
        if (w != null) {
            w.connectFailed();
        }
    }

    void nameWatch(NameWatch watch) {
        this.nameWatch = watch;
    }

    public ServerConfig config() {
        return config;
    }

    public boolean backup() {
        return config.backup();
    }

    @Override
    public int weight() {
        return config.weight();
    }

    public ServerState state() {
        if (draining || removed) {
            return ServerState.DRAINING;
        }
        if (!healthy || resolved.address() == null) {
            return ServerState.DOWN;
        }
        if (ejected) {
            if (clock.getAsLong() - ejectedUntil < 0) {
                return ServerState.EJECTED;
            }
            ejected = false; // the ejection ran out; the ramp started at ejectedUntil
        }
        return ServerState.UP;
    }

    /** Whether the server takes new requests. */
    public boolean usable() {
        return state() == ServerState.UP;
    }

    @Override
    public String stateName() {
        return state().json();
    }

    @Override
    public double effectiveWeight() {
        int w = config.weight();
        long ramp = pool.config().slowStart().toNanos();
        if (ramp <= 0) {
            return w;
        }
        long elapsed = clock.getAsLong() - upSince;
        if (elapsed >= ramp) {
            return w;
        }
        return Math.max(w * (double) Math.max(elapsed, 0) / ramp, w * MIN_SLOW_START_FRACTION);
    }

    @Override
    public int inFlight() {
        return inFlight.get();
    }

    public long requests() {
        return requests.sum();
    }

    public long failures() {
        return failures.sum();
    }

    /** How often outlier detection has ejected the server (the multiplier of its next ejection time). */
    public int ejections() {
        synchronized (pool) {
            return ejections;
        }
    }

    @Override
    public double latencyEwmaNanos() {
        double e = ewma;
        if (e == 0) {
            return 0;
        }
        long idle = clock.getAsLong() - ewmaStamp;
        return idle <= 0 ? e : e * Math.exp(-idle / EWMA_DECAY_NANOS);
    }

    /** A request was sent (or is about to be) to this server. Exactly one of finished/failed follows. */
    public void requestStarted() {
        inFlight.incrementAndGet();
    }

    /**
     * The server answered with this status, which ends the streak of attempts without an answer. A 5xx extends the
     * 5xx streak; a 503 with {@code Retry-After} ({@code declaredUnavailable}) neither extends nor ends it (see
     * {@link OutlierDetectionConfig}); any other answer ends it.
     */
    public void requestFinished(int status, boolean declaredUnavailable, long latencyNanos) {
        inFlight.decrementAndGet();
        requests.increment();
        observeLatency(latencyNanos);
        consecutiveFailures.set(0);
        if (status >= 500) {
            failures.increment();
            if (status != 503 || !declaredUnavailable) {
                countStreak(consecutive5xx, pool.config().outlierDetection().consecutive5xx(), "5xx answers");
            }
        } else {
            consecutive5xx.set(0);
        }
    }

    /**
     * The attempt got no complete answer (connect error, reset, timeout, protocol error), or the balancer answered
     * for the server because of one (its own 502 or 504): extends the failure streak of outlier detection.
     */
    public void requestFailed(FailureKind kind, long latencyNanos) {
        inFlight.decrementAndGet();
        requests.increment();
        failures.increment();
        // A refused connect is quick: observing its latency as is would make a dead server look fast to peak-ewma.
        observeLatency(Math.max(latencyNanos, pool.config().connectTimeout().toNanos()));
        countStreak(consecutiveFailures, pool.config().outlierDetection().consecutiveFailures(), "failures");
    }

    private void observeLatency(long rtt) {
        if (rtt < 0) {
            return;
        }
        synchronized (ewmaLock) {
            long now = clock.getAsLong();
            long elapsed = Math.max(now - ewmaStamp, 0);
            double prev = ewma;
            if (rtt > prev) {
                ewma = rtt; // peak-sensitive: a slowdown shows at once, recovery is averaged in
            } else {
                double w = Math.exp(-elapsed / EWMA_DECAY_NANOS);
                ewma = prev * w + rtt * (1 - w);
            }
            ewmaStamp = now;
        }
    }

    private void countStreak(AtomicInteger streak, int limit, String what) {
        if (limit > 0 && streak.incrementAndGet() >= limit) {
            pool.tryEject(this, limit + " consecutive " + what);
        }
    }

    /** Called by the pool under its lock. */
    boolean ejectUntilLocked(long now, OutlierDetectionConfig od, String why) {
        if (ejected && now - ejectedUntil < 0) {
            return false;
        }
        // A server that stayed in long enough since its last ejection starts over at the base time.
        if (ejections > 0 && now - ejectedUntil > od.maxEjectionTime().toNanos()) {
            ejections = 0;
        }
        ejections++;
        long base = od.baseEjectionTime().toNanos();
        long time = Math.min(base * ejections, Math.max(od.maxEjectionTime().toNanos(), base));
        ejectedUntil = now + time;
        upSince = ejectedUntil;
        ejected = true;
        consecutiveFailures.set(0);
        consecutive5xx.set(0);
        pool.events().server(pool.name(), name, "is EJECTED for " + time / 1_000_000 + " ms after " + why
                + " (ejection #" + ejections + ")");
        return true;
    }

    boolean ejectedNow(long now) {
        return ejected && now - ejectedUntil < 0;
    }

    @Override
    public boolean healthy() {
        return healthy;
    }

    /** The active checker's verdict changed. Coming back UP starts the slow-start ramp. */
    @Override
    public void healthChanged(boolean nowHealthy, String reason) {
        if (healthy == nowHealthy) {
            return;
        }
        if (nowHealthy) {
            upSince = clock.getAsLong();
        }
        healthy = nowHealthy;
        pool.events().server(pool.name(), name, (nowHealthy ? "is UP: " : "is DOWN: ") + reason);
    }

    /** Takes no new requests; requests in flight finish. */
    public void drain() {
        if (!draining) {
            draining = true;
            pool.events().server(pool.name(), name, "is DRAINING (operator)");
        }
    }

    /** Undoes {@link #drain()}; the server ramps up again if the pool has a slow start. */
    public void enable() {
        if (draining) {
            upSince = clock.getAsLong();
            draining = false;
            pool.events().server(pool.name(), name, "is ENABLED again (operator)");
        }
    }

    /** Whether a reload took the server out of its pool (it then drains for good). */
    public boolean removed() {
        return removed;
    }

    void markRemoved() {
        removed = true;
        closeGauges();
    }

    void updateConfig(ServerConfig next) {
        this.config = next;
    }

    void gauges(AutoCloseable handle) {
        this.gauges = handle;
    }

    void closeGauges() {
        AutoCloseable g = gauges;
        gauges = null;
        if (g != null) {
            try {
                g.close();
            } catch (Exception ignored) {
                // removing meters cannot fail in a way that matters here
            }
        }
    }

    @Override
    public String toString() {
        return pool.name() + "/" + name + "@" + address;
    }
}
