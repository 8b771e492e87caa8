package com.foobar.dbrouter;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One database node: its HikariCP pool, what the last check saw ({@link NodeObservation}) and what the router made
 * of it ({@link Topology.Verdict}). The node's name is fixed (metrics, logs, {@code X-Db-Node}); its role is not.
 */
final class NodePool implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NodePool.class);
    /** Options for every connection, pooled or monitor: fewer round trips, and no TLS on a private network. */
    static final String DRIVER_PROPERTIES = "cachePrepStmts=true,prepStmtCacheSize=250,prepStmtCacheSqlLimit=2048,"
            + "useLocalSessionState=true,rewriteBatchedStatements=true";

    private final String name;
    private final String url;
    private final HikariDataSource pool;
    private final AtomicInteger inUse = new AtomicInteger();
    private volatile int poolSize;
    private volatile Flavor flavor;
    private volatile NodeObservation observation = NodeObservation.notChecked();
    /** The last lag a check saw (not NULL), with {@link System#nanoTime()} then; null until one is seen. */
    private volatile LagSeen lastLag;
    private volatile Topology.Verdict verdict = new Topology.Verdict(NodeRole.DOWN, false, "not checked yet", -1);
    private RouterMetrics.NodeMeters meters;

    NodePool(String name, String url, int poolSize, RouterConfig config, MeterRegistry registry) {
        this.name = name;
        this.url = url;
        this.poolSize = poolSize;
        HikariConfig hc = new HikariConfig();
        hc.setPoolName(config.name() + "-" + name);
        hc.setJdbcUrl(url);
        hc.setUsername(config.username());
        hc.setPassword(config.password());
        hc.setMaximumPoolSize(poolSize);
        hc.setConnectionTimeout(config.connectionTimeout().toMillis());
        hc.setValidationTimeout(Math.min(config.connectionTimeout().toMillis(), 1000));
        // Start even when the node is down: the monitor and the fallbacks deal with it, and it may come back.
        hc.setInitializationFailTimeout(-1);
        for (String kv : DRIVER_PROPERTIES.split(",")) {
            int eq = kv.indexOf('=');
            hc.addDataSourceProperty(kv.substring(0, eq), kv.substring(eq + 1));
        }
        hc.addDataSourceProperty("connectTimeout", String.valueOf(config.connectionTimeout().toMillis()));
        hc.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(registry));
        this.pool = new HikariDataSource(hc);
    }

    void bindMeters(RouterMetrics metrics) {
        this.meters = metrics.new NodeMeters(this);
    }

    RouterMetrics.NodeMeters meters() {
        return meters;
    }

    String name() {
        return name;
    }

    String url() {
        return url;
    }

    HikariDataSource pool() {
        return pool;
    }

    /** A pooled connection; the caller must {@link #release} it. */
    Connection borrow() throws SQLException {
        Connection c = pool.getConnection();
        inUse.incrementAndGet();
        return c;
    }

    void release(Connection c) throws SQLException {
        inUse.decrementAndGet();
        c.close();
    }

    int inUse() {
        return inUse.get();
    }

    /**
     * Sets the pool's size when the node's role changes (the writer gets {@code primaryPoolSize}, the others
     * {@code replicaPoolSize}); HikariCP applies it at runtime. Minimum idle follows, keeping a fixed-size pool.
     */
    void resize(int size) {
        if (size == poolSize) {
            return;
        }
        if (size > poolSize) {
            pool.getHikariConfigMXBean().setMaximumPoolSize(size);
            pool.getHikariConfigMXBean().setMinimumIdle(size);
        } else {
            pool.getHikariConfigMXBean().setMinimumIdle(size);
            pool.getHikariConfigMXBean().setMaximumPoolSize(size);
        }
        poolSize = size;
    }

    int poolSize() {
        return poolSize;
    }

    boolean isUp() {
        return observation.up();
    }

    NodeRole role() {
        return verdict.role();
    }

    /**
     * Reads may go here as a replica: up, replicating, within the lag bound, following the writer; or read-only and
     * no longer replicating for a moment only (its last lag plus the time since within the bound: a replica being
     * promoted).
     */
    boolean isUsable() {
        Topology.Verdict v = verdict;
        return v.readable() && (v.role() == NodeRole.REPLICA || v.role() == NodeRole.READ_ONLY);
    }

    /** Why the node takes no reads, or why it is down; empty when it is usable or the writer. */
    String reason() {
        return verdict.reason();
    }

    NodeObservation observation() {
        return observation;
    }

    /** The last lag a check saw and how long ago, as of {@code nowNanos}; null when none was seen. */
    TopologyJudge.LagSample lastLag(long nowNanos) {
        LagSeen seen = lastLag;
        return seen == null ? null
                : new TopologyJudge.LagSample(seen.seconds(), Duration.ofNanos(nowNanos - seen.atNanos()));
    }

    private record LagSeen(long seconds, long atNanos) {
    }

    double lagSecondsOrNaN() {
        long lag = lagSeconds();
        return lag < 0 ? Double.NaN : lag;
    }

    long lagSeconds() {
        Long lag = observation.replication().lagSeconds();
        return lag == null ? -1 : lag;
    }

    Flavor flavor() {
        return flavor;
    }

    /** The node's flavour, detected on {@code c} the first time nobody knows it yet. */
    Flavor flavor(Connection c) throws SQLException {
        Flavor f = flavor;
        if (f == null) {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT @@version")) {
                rs.next();
                f = Flavor.ofVersion(rs.getString(1));
            }
            flavor = f;
        }
        return f;
    }

    void flavorDetected(Flavor f) {
        this.flavor = f;
    }

    /** A check's result (monitor), or a failure seen on the request path. */
    synchronized void observed(NodeObservation next) {
        NodeObservation previous = observation;
        observation = next;
        Long lag = next.up() ? next.replication().lagSeconds() : null;
        if (lag != null) {
            lastLag = new LagSeen(lag, System.nanoTime());
        }
        if (previous.up() && !next.up()) {
            LOG.warn("db-router: {} is down: {}", name, next.error());
        } else if (!previous.up() && next.up()) {
            // Pooled connections from before the outage are dead: drop them now rather than fail on them once each.
            pool.getHikariPoolMXBean().softEvictConnections();
            LOG.info("db-router: {} is up (server_id {}, {})", name, next.serverId(),
                    next.readOnly() ? "read-only" : "writable");
        }
    }

    /** Called by the request path when a call fails for a connection reason. */
    void markDown(String why) {
        NodeObservation o = observation;
        observed(NodeObservation.down(why, o.serverId(), flavor));
    }

    /** The node refused a write as read-only: believed at once, until the check this triggers says more. */
    synchronized void sawReadOnly() {
        NodeObservation o = observation;
        if (o.up() && !o.readOnly()) {
            observation = o.asReadOnly();
        }
    }

    /**
     * What the router now makes of this node, judged at {@code judgedAtNanos} ({@link System#nanoTime()}); logs when
     * it starts or stops taking reads.
     */
    synchronized void apply(Topology.Verdict next, long judgedAtNanos) {
        Topology.Verdict previous = verdict;
        verdict = next;
        if (next.role() == NodeRole.REPLICA && next.readable() && next.lagSeconds() < 0) {
            // Readable with no lag to report: it applies all it received and no node takes writes, so nothing newer
            // exists anywhere. That is lag 0 now. When it then stops replicating to be promoted (read-only, not
            // replicating, for the moments before it turns writable), its bound counts from here and it keeps
            // serving reads, instead of from the last lag its dead source reported, seconds ago.
            lastLag = new LagSeen(0, judgedAtNanos);
        }
        if (next.role() != NodeRole.REPLICA || !observation.up()) {
            return;
        }
        boolean wasUsable = previous.readable() && previous.role() == NodeRole.REPLICA;
        boolean nowUsable = next.readable();
        if (nowUsable && !wasUsable) {
            LOG.info("db-router: {} takes reads{}", name, next.lagSeconds() >= 0 ? " (lag " + next.lagSeconds() + " s)" : "");
        } else if (!nowUsable && (wasUsable || !next.reason().equals(previous.reason()) && !next.reason().startsWith("lag"))) {
            LOG.warn("db-router: {} takes no reads: {}", name, next.reason());
        }
    }

    @Override
    public void close() {
        pool.close();
    }

    @Override
    public String toString() {
        return name + "(" + url + ")";
    }
}
