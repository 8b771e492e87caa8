package com.foobar.dbrouter;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.slf4j.LoggerFactory;

/**
 * A read/write-splitting {@link DataSource} over one primary and its replicas, with one HikariCP pool per node.
 *
 * <p>Routing is explicit, never guessed from SQL text. To replicas: {@link #read} and connections marked
 * {@code setReadOnly(true)} (as a read-only transaction does). To the primary: {@link #write} and everything else,
 * including all of a read-write transaction.
 *
 * <p>Read-your-writes across instances: {@link #write} returns a {@link ConsistencyToken} holding the primary's GTID
 * position after the commit; a {@link #read(ConsistencyToken, SqlFunction)} carrying it waits (bounded) on its
 * replica until that position is applied, or goes to the primary.
 */
public final class RoutingDataSource implements DataSource, AutoCloseable {
    private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(RoutingDataSource.class);

    private final RouterConfig config;
    private final NodePool primary;
    private final List<NodePool> replicas;
    private final ReplicaSelector selector;
    private final RouterMetrics metrics;
    private final NodeMonitor monitor;
    private final BigDecimal causalTimeoutSeconds;
    private volatile boolean closed;

    /** Builds the pools, checks every node once (so the first request knows the state), and starts the monitor. */
    public RoutingDataSource(RouterConfig config, MeterRegistry registry) {
        this.config = config;
        this.metrics = new RouterMetrics(registry, config.name());
        List<NodePool> all = new ArrayList<>();
        try {
            this.primary = new NodePool("primary", false, config.primaryUrl(), config.primaryPoolSize(), config, registry);
            all.add(primary);
            List<NodePool> reps = new ArrayList<>();
            for (int i = 0; i < config.replicaUrls().size(); i++) {
                NodePool r = new NodePool("replica-" + (i + 1), true, config.replicaUrls().get(i), config.replicaPoolSize(),
                        config, registry);
                reps.add(r);
                all.add(r);
            }
            this.replicas = List.copyOf(reps);
            for (NodePool n : all) {
                n.bindMeters(metrics);
            }
            this.selector = new ReplicaSelector(replicas, config.replicaSelection());
            this.causalTimeoutSeconds = BigDecimal.valueOf(config.causalReadTimeout().toMillis(), 3);
            this.monitor = new NodeMonitor(all, config, selector::refresh);
            monitor.start();
        } catch (RuntimeException e) {
            for (NodePool n : all) {
                n.close();
            }
            metrics.close();
            throw e;
        }
        LOG.info("db-router '{}': primary {} ({}), {} replica(s) {}", config.name(), config.primaryUrl(),
                primary.isUp() ? "up" : "down: " + primary.reason(), replicas.size(), describeReplicas());
    }

    private String describeReplicas() {
        StringBuilder sb = new StringBuilder();
        for (NodePool r : replicas) {
            sb.append(sb.length() == 0 ? "" : ", ").append(r.name()).append(' ')
                    .append(r.isUsable() ? "usable" : "not usable: " + r.reason());
        }
        return sb.toString();
    }

    public RouterConfig config() {
        return config;
    }

    // ---------------------------------------------------------------- read / write API

    /** Runs {@code work} on a replica (or the primary when none is usable). */
    public <T> T read(SqlFunction<Connection, T> work) throws SQLException {
        return read(null, work);
    }

    /**
     * Runs {@code work} where it is guaranteed to see the write behind {@code token} (null: anywhere, like
     * {@link #read(SqlFunction)}). In mode TOKEN the chosen replica waits up to {@code causalReadTimeout} for the
     * token's GTID; in mode FAST only a replica already there is used; otherwise the primary serves the read.
     */
    public <T> T read(ConsistencyToken token, SqlFunction<Connection, T> work) throws SQLException {
        ensureOpen();
        boolean causal = token != null && config.causalReads() != CausalReads.NONE;
        NodePool replica = selector.pick();
        if (replica == null) {
            metrics.fallback(RouterMetrics.Fallback.NO_USABLE_REPLICA);
            return onPrimary(work, causal);
        }
        if (!causal) {
            return onReplicaOrPrimary(replica, work);
        }
        if (config.causalReads() == CausalReads.FAST) {
            List<NodePool> candidates = new ArrayList<>();
            candidates.add(replica);
            candidates.addAll(selector.others(replica));
            for (NodePool r : candidates) {
                Lease lease = tryLease(r);
                if (lease == null) {
                    continue;
                }
                boolean reached;
                try {
                    reached = reached(lease, token, false);
                } catch (SQLException e) {
                    lease.release();
                    failed(r, e);
                    if (!isConnectionFailure(e)) {
                        throw e;
                    }
                    continue;
                }
                if (reached) {
                    return runAndRelease(lease, work, true);
                }
                lease.release();
            }
            metrics.fallback(RouterMetrics.Fallback.CAUSAL_NOT_CAUGHT_UP);
            return onPrimary(work, true);
        }
        Lease lease = tryLease(replica);
        if (lease == null) {
            metrics.fallback(RouterMetrics.Fallback.REPLICA_ERROR);
            return onPrimary(work, true);
        }
        boolean reached;
        try {
            reached = reached(lease, token, true);
        } catch (SQLException e) {
            lease.release();
            failed(replica, e);
            if (!isConnectionFailure(e)) {
                throw e;
            }
            metrics.fallback(RouterMetrics.Fallback.REPLICA_ERROR);
            return onPrimary(work, true);
        }
        if (!reached) {
            lease.release();
            metrics.fallback(RouterMetrics.Fallback.CAUSAL_WAIT_TIMEOUT);
            return onPrimary(work, true);
        }
        return runAndRelease(lease, work, true);
    }

    /**
     * Runs {@code work} in one transaction on the primary, commits, and returns its value with the token of the
     * primary's position after the commit. Rolls back if {@code work} throws.
     *
     * @throws PrimaryUnavailableException at once when the primary is known to be down, or when it cannot be reached
     */
    public <T> Written<T> write(SqlFunction<Connection, T> work) throws SQLException {
        ensureOpen();
        Lease lease = leaseForWrite();
        Connection c = lease.physical();
        boolean released = false;
        try {
            c.setAutoCommit(false);
            T value;
            try {
                value = work.apply(new LentConnection(c, primary, false));
                c.commit();
            } catch (SQLException | RuntimeException | Error e) {
                try {
                    c.rollback();
                } catch (SQLException rollbackFailure) {
                    e.addSuppressed(rollbackFailure);
                }
                if (e instanceof SQLException && isConnectionFailure((SQLException) e)) {
                    failed(primary, (SQLException) e);
                    metrics.primaryUnavailable();
                    throw new PrimaryUnavailableException("primary failed during the write: " + NodeMonitor.oneLine(e), e);
                }
                throw e;
            }
            ConsistencyToken token = capturePosition(c);
            c.setAutoCommit(true);
            lease.release();
            released = true;
            return new Written<>(value, token);
        } finally {
            if (!released) {
                lease.release();
            }
        }
    }

    // ---------------------------------------------------------------- DataSource

    /**
     * A connection that routes by its read-only flag: {@code setReadOnly(true)} before use sends it to a replica,
     * otherwise it goes to the primary. The physical connection is taken on first use.
     */
    @Override
    public Connection getConnection() throws SQLException {
        ensureOpen();
        return new RoutingConnection(this);
    }

    /** Credentials are part of the router's configuration; per-call credentials are not supported. */
    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("credentials are set in RouterConfig; use getConnection()");
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        // Logging goes through slf4j.
    }

    @Override
    public void setLoginTimeout(int seconds) {
        // The connection timeout is part of RouterConfig.
    }

    @Override
    public int getLoginTimeout() {
        return (int) config.connectionTimeout().toSeconds();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("logging goes through slf4j");
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException("not a wrapper for " + iface.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }

    // ---------------------------------------------------------------- health

    /** What the monitor last saw: for a readiness endpoint. */
    public RouterHealth health() {
        List<RouterHealth.ReplicaHealth> list = new ArrayList<>();
        for (NodePool r : replicas) {
            long lag = r.lagSeconds();
            list.add(new RouterHealth.ReplicaHealth(r.name(), r.isUp(), r.isUsable(),
                    lag < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(lag)), r.isUsable() ? "" : r.reason()));
        }
        return new RouterHealth(primary.isUp(), list);
    }

    /**
     * The node serving {@code c} ("primary", "replica-1"...), for an {@code X-Db-Node} header; null for a connection
     * that did not come from a router. A routing connection not used yet is bound first, so the answer is where its
     * statements will go.
     */
    public static String nodeOf(Connection c) {
        if (c instanceof RoutingConnection) {
            try {
                return ((RoutingConnection) c).bindAndName();
            } catch (SQLException e) {
                return null;
            }
        }
        return c instanceof Routed ? ((Routed) c).nodeName() : null;
    }

    /** Stops the monitor and closes every pool. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        monitor.close();
        primary.close();
        for (NodePool r : replicas) {
            r.close();
        }
        metrics.close();
    }

    // ---------------------------------------------------------------- internals

    /** A physical connection taken from a node's pool, released exactly once. */
    record Lease(NodePool node, Connection physical) {
        void release() throws SQLException {
            node.release(physical);
        }
    }

    Lease leaseForWrite() throws SQLException {
        if (!primary.isUp()) {
            metrics.primaryUnavailable();
            throw new PrimaryUnavailableException("primary is down: " + primary.reason());
        }
        try {
            Lease l = new Lease(primary, primary.borrow());
            primary.meters().connections(false).increment();
            return l;
        } catch (SQLException e) {
            if (!isConnectionFailure(e)) {
                // Every connection is busy: the primary is up, the caller is just too early.
                throw e;
            }
            failed(primary, e);
            metrics.primaryUnavailable();
            throw new PrimaryUnavailableException("primary is unreachable: " + NodeMonitor.oneLine(e), e);
        }
    }

    Lease leaseForRead() throws SQLException {
        NodePool replica = selector.pick();
        if (replica != null) {
            Lease l = tryLease(replica);
            if (l != null) {
                replica.meters().connections(true).increment();
                return l;
            }
            metrics.fallback(RouterMetrics.Fallback.REPLICA_ERROR);
        } else {
            metrics.fallback(RouterMetrics.Fallback.NO_USABLE_REPLICA);
        }
        return primaryLeaseForRead(false);
    }

    private Lease tryLease(NodePool replica) {
        try {
            return new Lease(replica, replica.borrow());
        } catch (SQLException e) {
            failed(replica, e);
            return null;
        }
    }

    private Lease primaryLeaseForRead(boolean causal) throws SQLException {
        // A causal read that no replica can serve goes to the primary even when it normally takes no reads:
        // correctness first.
        if (!causal && !config.primaryAcceptsReads()) {
            throw new NoReadableNodeException("no usable replica, and primaryAcceptsReads is false");
        }
        if (!primary.isUp()) {
            throw new NoReadableNodeException("no usable replica, and the primary is down: " + primary.reason());
        }
        try {
            Lease l = new Lease(primary, primary.borrow());
            primary.meters().connections(true).increment();
            return l;
        } catch (SQLException e) {
            if (!isConnectionFailure(e)) {
                throw e;
            }
            failed(primary, e);
            throw new NoReadableNodeException("no usable replica, and the primary is unreachable: " + NodeMonitor.oneLine(e), e);
        }
    }

    private <T> T onPrimary(SqlFunction<Connection, T> work, boolean causal) throws SQLException {
        return runAndRelease(primaryLeaseForRead(causal), work, false);
    }

    /** A plain read: on the replica, retried on the primary if the replica fails for a connection reason. */
    private <T> T onReplicaOrPrimary(NodePool replica, SqlFunction<Connection, T> work) throws SQLException {
        Lease lease = tryLease(replica);
        if (lease == null) {
            metrics.fallback(RouterMetrics.Fallback.REPLICA_ERROR);
            return onPrimary(work, false);
        }
        replica.meters().connections(true).increment();
        try {
            return work.apply(new LentConnection(lease.physical(), replica, true));
        } catch (SQLException e) {
            if (!isConnectionFailure(e)) {
                throw e;
            }
            failed(replica, e);
            metrics.fallback(RouterMetrics.Fallback.REPLICA_ERROR);
            // Reads are safe to repeat; the caller sees a slower answer instead of an error.
            return onPrimary(work, false);
        } finally {
            releaseQuietly(lease);
        }
    }

    private <T> T runAndRelease(Lease lease, SqlFunction<Connection, T> work, boolean countConnection) throws SQLException {
        if (countConnection) {
            lease.node().meters().connections(true).increment();
        }
        try {
            return work.apply(new LentConnection(lease.physical(), lease.node(), true));
        } catch (SQLException e) {
            failed(lease.node(), e);
            throw e;
        } finally {
            releaseQuietly(lease);
        }
    }

    private static void releaseQuietly(Lease lease) {
        try {
            lease.release();
        } catch (SQLException e) {
            LOG.debug("db-router: releasing a {} connection failed", lease.node().name(), e);
        }
    }

    /** Whether the replica on {@code lease} has applied {@code token}, waiting up to the causal timeout if asked. */
    private boolean reached(Lease lease, ConsistencyToken token, boolean wait) throws SQLException {
        NodePool node = lease.node();
        Flavor flavor = node.flavor(lease.physical());
        if (flavor != token.flavor()) {
            // A token from another kind of server cannot be waited for here.
            return false;
        }
        long t0 = System.nanoTime();
        try (PreparedStatement ps = lease.physical().prepareStatement(wait ? flavor.waitSql() : flavor.reachedSql())) {
            ps.setString(1, token.position());
            if (wait) {
                ps.setBigDecimal(2, causalTimeoutSeconds);
            }
            try (ResultSet rs = ps.executeQuery()) {
                boolean ok = false;
                if (rs.next()) {
                    long result = rs.getLong(1);
                    ok = !rs.wasNull() && flavor.waitSucceeded(result);
                }
                if (wait) {
                    node.meters().gtidWait(System.nanoTime() - t0, ok);
                }
                return ok;
            }
        }
    }

    private ConsistencyToken capturePosition(Connection c) {
        try {
            Flavor flavor = primary.flavor(c);
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(flavor.capturePositionSql())) {
                if (!rs.next()) {
                    return null;
                }
                String own = rs.getString(1);
                String position = own != null && !own.isEmpty() ? own : rs.getString(2);
                if (position == null) {
                    return null;
                }
                position = position.replaceAll("\\s+", "");
                if (position.isEmpty() || !flavor.isValidPosition(position)) {
                    return null;
                }
                return new ConsistencyToken(flavor, position);
            }
        } catch (SQLException e) {
            // The write is committed; without a token the caller's next read may merely be stale.
            LOG.warn("db-router: committed, but could not read the primary's GTID position: {}", NodeMonitor.oneLine(e));
            return null;
        }
    }

    /** A call on {@code node} failed: a connection failure marks it down until the monitor sees it again. */
    void failed(NodePool node, SQLException e) {
        if (isConnectionFailure(e)) {
            node.markDown(NodeMonitor.oneLine(e));
            selector.refresh();
            monitor.checkNow(node);
        }
    }

    /**
     * Whether {@code e} says the node is unreachable. A pool timeout without an underlying failure only says the pool
     * is busy: the node is fine and must not be marked down for it.
     */
    static boolean isConnectionFailure(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof PrimaryUnavailableException || t instanceof NoReadableNodeException) {
                return false;
            }
            if (t instanceof SQLException) {
                String state = ((SQLException) t).getSQLState();
                if (state != null && state.startsWith("08")) {
                    return true;
                }
            }
            if (t instanceof SQLNonTransientConnectionException || t instanceof SQLRecoverableException) {
                return true;
            }
            if (t instanceof SQLTransientConnectionException && t.getCause() == null) {
                return false;
            }
        }
        return false;
    }

    private void ensureOpen() throws SQLException {
        if (closed) {
            throw new SQLException("router '" + config.name() + "' is closed", "08003");
        }
    }
}
