package com.foobar.dbrouter;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.ResultSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One database node: its HikariCP pool and what the monitor and the request path last learnt about it. */
final class NodePool implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NodePool.class);
    /** Options for every connection, pooled or monitor: fewer round trips, and no TLS on a private network. */
    static final String DRIVER_PROPERTIES = "cachePrepStmts=true,prepStmtCacheSize=250,prepStmtCacheSqlLimit=2048,"
            + "useLocalSessionState=true,rewriteBatchedStatements=true";

    private final String name;
    private final boolean replica;
    private final String url;
    private final HikariDataSource pool;
    private final AtomicInteger inUse = new AtomicInteger();
    private volatile Flavor flavor;
    private volatile boolean up;
    private volatile boolean usable;
    private volatile long lagSeconds = -1;
    private volatile String reason = "not checked yet";
    private RouterMetrics.NodeMeters meters;

    NodePool(String name, boolean replica, String url, int poolSize, RouterConfig config, MeterRegistry registry) {
        this.name = name;
        this.replica = replica;
        this.url = url;
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

    boolean isReplica() {
        return replica;
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

    boolean isUp() {
        return up;
    }

    /** Up, replicating and within the lag bound (for the primary: up). */
    boolean isUsable() {
        return usable;
    }

    String reason() {
        return reason;
    }

    double lagSecondsOrNaN() {
        long lag = lagSeconds;
        return lag < 0 ? Double.NaN : lag;
    }

    long lagSeconds() {
        return lagSeconds;
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

    /** Called by the monitor, and by the request path when a call fails for a connection reason. */
    synchronized void markDown(String why) {
        boolean wasUp = up;
        up = false;
        usable = false;
        lagSeconds = -1;
        reason = why;
        if (wasUp) {
            LOG.warn("db-router: {} is down: {}", name, why);
        }
    }

    synchronized void markUp(boolean nowUsable, long lag, String whyNotUsable) {
        boolean wasUp = up;
        boolean wasUsable = usable;
        String oldReason = reason;
        lagSeconds = lag;
        reason = nowUsable ? "" : whyNotUsable;
        up = true;
        usable = nowUsable;
        if (!wasUp) {
            // Pooled connections from before the outage are dead: drop them now rather than fail on them once each.
            pool.getHikariPoolMXBean().softEvictConnections();
            LOG.info("db-router: {} is up{}", name, nowUsable ? "" : " but not usable: " + whyNotUsable);
        } else if (wasUsable != nowUsable || (!nowUsable && !whyNotUsable.equals(oldReason) && !whyNotUsable.startsWith("lag"))) {
            if (nowUsable) {
                LOG.info("db-router: {} is usable again (lag {} s)", name, lag);
            } else {
                LOG.warn("db-router: {} is not usable: {}", name, whyNotUsable);
            }
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
