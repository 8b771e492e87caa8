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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.slf4j.LoggerFactory;

/**
 * A read/write-splitting {@link DataSource} over a replicated group of nodes, with one HikariCP pool per node, that
 * follows the group's topology: the writer is the node that says it is writable and replicates from no one, the
 * replicas are the nodes that replicate ({@link TopologyJudge}). A failover or switchover done on the servers (by
 * db-failover, Orchestrator, a person) moves the writes without a restart or a configuration change.
 *
 * <p>Routing is explicit, never guessed from SQL text. To replicas: {@link #read} and connections marked
 * {@code setReadOnly(true)} (as a read-only transaction does). To the writer: {@link #write} and everything else,
 * including all of a read-write transaction. With no writer, or with several (split brain), writes are refused with
 * a {@link PrimaryUnavailableException} naming the state, at once when the writer is down, else after waiting at
 * most {@code writerWaitTimeout} for the switch under way to end; a write
 * that a role change raced (the node turned read-only under it) is refused the same way, and the node re-checked at
 * once.
 *
 * <p>Read-your-writes across instances: {@link #write} returns a {@link ConsistencyToken} holding the writer's GTID
 * position after the commit; a {@link #read(ConsistencyToken, SqlFunction)} carrying it waits (bounded) on its
 * replica until that position is applied and provably holds that write ({@link GtidPositions}), or goes to the
 * writer.
 */
public final class RoutingDataSource implements DataSource, AutoCloseable {
    private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(RoutingDataSource.class);

    private final RouterConfig config;
    private final List<NodePool> nodes;
    private final Map<String, NodePool> byName;
    private final ReplicaSelector selector;
    private final RouterMetrics metrics;
    private final TopologyTracker tracker;
    private final NodeMonitor monitor;
    private final BigDecimal causalTimeoutSeconds;
    private volatile boolean closed;

    /** Builds the pools, checks every node once (so the first request knows the topology), and starts the monitor. */
    public RoutingDataSource(RouterConfig config, MeterRegistry registry) {
        this.config = config;
        this.metrics = new RouterMetrics(registry, config.name());
        List<NodePool> all = new ArrayList<>();
        try {
            // The configured primary is a first guess: it gets the writer's pool size until the nodes say otherwise.
            String guess = config.primaryUrl() == null ? null : config.nodes().get(0).name();
            for (RouterConfig.Node spec : config.nodes()) {
                int size = spec.name().equals(guess) ? config.primaryPoolSize() : config.replicaPoolSize();
                all.add(new NodePool(spec.name(), spec.url(), size, config, registry));
            }
            this.nodes = List.copyOf(all);
            Map<String, NodePool> names = new LinkedHashMap<>();
            for (NodePool n : nodes) {
                n.bindMeters(metrics);
                names.put(n.name(), n);
            }
            this.byName = Map.copyOf(names);
            this.selector = new ReplicaSelector(nodes, config.replicaSelection());
            this.causalTimeoutSeconds = BigDecimal.valueOf(config.causalReadTimeout().toMillis(), 3);
            this.tracker = new TopologyTracker(nodes, config, metrics, guess);
            metrics.bindTopology(tracker);
            this.monitor = new NodeMonitor(nodes, config, this::refreshTopology);
            monitor.start();
        } catch (RuntimeException e) {
            for (NodePool n : all) {
                n.close();
            }
            metrics.close();
            throw e;
        }
        Topology t = tracker.current();
        LOG.info("db-router '{}': {} node(s): {}; {}", config.name(), nodes.size(), describeNodes(t),
                t.state() == WriterState.ONE_WRITER ? "writes go to " + t.writer() : "writes are refused: " + t.refusalMessage());
    }

    private String describeNodes(Topology t) {
        StringBuilder sb = new StringBuilder();
        for (NodePool n : nodes) {
            Topology.Verdict v = t.verdict(n.name());
            sb.append(sb.length() == 0 ? "" : ", ").append(n.name()).append(' ').append(v.role().tag());
            if (v.role() == NodeRole.REPLICA) {
                sb.append(v.readable() ? " (usable)" : " (not usable: " + v.reason() + ")");
            } else if (v.role() != NodeRole.WRITER) {
                sb.append(" (").append(v.reason()).append(')');
            }
        }
        return sb.toString();
    }

    public RouterConfig config() {
        return config;
    }

    private void refreshTopology() {
        WriterState before = tracker.current().state();
        Topology t = tracker.refresh();
        selector.refresh();
        if (t.state() == WriterState.SPLIT_BRAIN && before != WriterState.SPLIT_BRAIN) {
            // Maybe only checks taken at different moments (a promotion seen before the fencing): look again now.
            monitor.checkAllSoon();
        }
    }

    // ---------------------------------------------------------------- read / write API

    /** Runs {@code work} on a replica (or the writer when none is usable). */
    public <T> T read(SqlFunction<Connection, T> work) throws SQLException {
        return read(null, work);
    }

    /**
     * Runs {@code work} where it is guaranteed to see the write behind {@code token} (null: anywhere, like
     * {@link #read(SqlFunction)}). In mode TOKEN the chosen replica waits up to {@code causalReadTimeout} for the
     * token's GTID; in mode FAST only a replica already there is used; otherwise the writer serves the read. A
     * replica is used only when it provably holds the token's write, also after the writer changed.
     */
    public <T> T read(ConsistencyToken token, SqlFunction<Connection, T> work) throws SQLException {
        ensureOpen();
        boolean causal = token != null && config.causalReads() != CausalReads.NONE;
        NodePool replica = selector.pick();
        if (replica == null) {
            metrics.fallback(RouterMetrics.Fallback.NO_USABLE_REPLICA);
            return onWriter(work, causal);
        }
        if (!causal) {
            return onReplicaOrWriter(replica, work);
        }
        if (config.causalReads() == CausalReads.FAST) {
            List<NodePool> candidates = new ArrayList<>();
            candidates.add(replica);
            candidates.addAll(selector.others(replica));
            boolean otherLineage = false;
            for (NodePool r : candidates) {
                Lease lease = tryLease(r);
                if (lease == null) {
                    continue;
                }
                Reach reach;
                try {
                    reach = reached(lease, token, false);
                } catch (SQLException e) {
                    lease.release();
                    failed(r, e);
                    if (!isConnectionFailure(e)) {
                        throw e;
                    }
                    continue;
                }
                if (reach == Reach.REACHED) {
                    return onLeasedReplica(lease, work, true);
                }
                otherLineage |= reach == Reach.OTHER_LINEAGE;
                lease.release();
            }
            metrics.fallback(otherLineage ? RouterMetrics.Fallback.CAUSAL_OTHER_LINEAGE
                    : RouterMetrics.Fallback.CAUSAL_NOT_CAUGHT_UP);
            return onWriter(work, true);
        }
        Lease lease = tryLease(replica);
        if (lease == null) {
            metrics.fallback(RouterMetrics.Fallback.REPLICA_ERROR);
            return onWriter(work, true);
        }
        Reach reach;
        try {
            reach = reached(lease, token, true);
        } catch (SQLException e) {
            lease.release();
            failed(replica, e);
            if (!isConnectionFailure(e)) {
                throw e;
            }
            metrics.fallback(RouterMetrics.Fallback.REPLICA_ERROR);
            return onWriter(work, true);
        }
        if (reach != Reach.REACHED) {
            lease.release();
            metrics.fallback(reach == Reach.OTHER_LINEAGE ? RouterMetrics.Fallback.CAUSAL_OTHER_LINEAGE
                    : RouterMetrics.Fallback.CAUSAL_WAIT_TIMEOUT);
            return onWriter(work, true);
        }
        return onLeasedReplica(lease, work, true);
    }

    /**
     * Runs {@code work} in one transaction on the writer, commits, and returns its value with the token of the
     * writer's position after the commit. Rolls back if {@code work} throws.
     *
     * @throws PrimaryUnavailableException when the writer is down, when there is no single writer after waiting up
     *         to {@code writerWaitTimeout} ({@link NoWriterException}, {@link SplitBrainException}), when the writer
     *         cannot be reached, or when it turned read-only under the write; nothing is committed then, except that
     *         a connection lost during the commit itself leaves the outcome unknown, as with any database
     */
    public <T> Written<T> write(SqlFunction<Connection, T> work) throws SQLException {
        ensureOpen();
        Lease lease = leaseForWrite();
        NodePool node = lease.node();
        Connection c = lease.physical();
        boolean released = false;
        try {
            c.setAutoCommit(false);
            T value;
            try {
                value = work.apply(LentConnection.lend(c, node, NodeCalls.lent(this, node, true)));
                c.commit();
            } catch (SQLException | RuntimeException | Error e) {
                try {
                    c.rollback();
                } catch (SQLException rollbackFailure) {
                    e.addSuppressed(rollbackFailure);
                }
                if (e instanceof SQLException) {
                    SQLException translated = writeFailure(node, (SQLException) e);
                    if (translated != e) {
                        throw translated;
                    }
                    if (isConnectionFailure((SQLException) e)) {
                        failed(node, (SQLException) e);
                        metrics.writeRefused(WriteRefusal.WRITER_DOWN);
                        throw new PrimaryUnavailableException(node.name() + " failed during the write: "
                                + NodeMonitor.oneLine(e), e);
                    }
                }
                throw e;
            }
            ConsistencyToken token = capturePosition(node, c);
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
     * otherwise it goes to the writer. The physical connection is taken on first use.
     */
    @Override
    public Connection getConnection() throws SQLException {
        ensureOpen();
        return RoutingConnection.open(this);
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

    /** What the monitor last saw: the writer state and every node's role, for a readiness endpoint. */
    public RouterHealth health() {
        Topology t = tracker.current();
        List<RouterHealth.NodeHealth> list = new ArrayList<>();
        for (NodePool n : nodes) {
            Topology.Verdict v = t.verdict(n.name());
            long lag = n.lagSeconds();
            list.add(new RouterHealth.NodeHealth(n.name(), v.role(), v.role() != NodeRole.DOWN,
                    n.isUsable(),
                    lag < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(lag)), v.reason()));
        }
        return new RouterHealth(t.state(), t.writerName(), t.refusal() == null ? "" : t.refusalMessage(), list);
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
        for (NodePool n : nodes) {
            n.close();
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
        Topology t = tracker.current();
        if (t.state() != WriterState.ONE_WRITER) {
            // Wait only while a switch is visibly under way (every node read-only, or two writable): it ends in a
            // few statements. A writer that is down ends by a failover, seconds away: refuse at once.
            long t0 = System.nanoTime();
            boolean wait = t.refusal() != WriteRefusal.WRITER_DOWN;
            try {
                t = tracker.awaitWriter(wait ? t0 + config.writerWaitTimeout().toNanos() : t0, monitor::checkAllSoon);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw refused(tracker.current(), wait ? System.nanoTime() - t0 : 0);
            }
            if (t.state() != WriterState.ONE_WRITER) {
                throw refused(t, wait ? System.nanoTime() - t0 : 0);
            }
        }
        NodePool writer = byName.get(t.writer());
        try {
            Lease l = new Lease(writer, writer.borrow());
            writer.meters().connections(false).increment();
            return l;
        } catch (SQLException e) {
            if (!isConnectionFailure(e)) {
                // Every connection is busy: the writer is up, the caller is just too early.
                throw e;
            }
            failed(writer, e);
            metrics.writeRefused(WriteRefusal.WRITER_DOWN);
            throw new PrimaryUnavailableException(writer.name() + " is unreachable: " + NodeMonitor.oneLine(e), e);
        }
    }

    /** The exception for a write that found no single writer, counted by reason. */
    private PrimaryUnavailableException refused(Topology t, long waitedNanos) {
        WriteRefusal reason = t.refusal() == null ? WriteRefusal.NO_WRITER : t.refusal();
        metrics.writeRefused(reason);
        String message = t.refusal() == null ? "interrupted while waiting for a writer" : t.refusalMessage();
        if (waitedNanos > 0 && config.writerWaitTimeout().toNanos() > 0) {
            message += " (waited " + TimeUnit.NANOSECONDS.toMillis(waitedNanos) + " ms for a writer)";
        }
        switch (reason) {
            case SPLIT_BRAIN:
                return new SplitBrainException(message);
            case WRITER_DOWN:
                return new PrimaryUnavailableException(message);
            default:
                return new NoWriterException(reason, message, null);
        }
    }

    /**
     * A write failed on {@code node}: when the node refused it as read-only, a role change raced it. The node is
     * believed read-only at once and re-checked now, and the caller gets the same transient exception as a write
     * that found no writer. Other failures are returned as they are.
     */
    SQLException writeFailure(NodePool node, SQLException e) {
        if (e instanceof PrimaryUnavailableException || !ReadOnlyErrors.isReadOnlyRefusal(e)) {
            return e;
        }
        node.sawReadOnly();
        refreshTopology();
        monitor.checkNow(node);
        metrics.writeRefused(WriteRefusal.WRITER_TURNED_READ_ONLY);
        return new NoWriterException(WriteRefusal.WRITER_TURNED_READ_ONLY, node.name()
                + " turned read-only under the write (a switchover or failover is under way); the statement was"
                + " refused: " + NodeMonitor.oneLine(e), e);
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
        return writerLeaseForRead(false);
    }

    private Lease tryLease(NodePool replica) {
        try {
            return new Lease(replica, replica.borrow());
        } catch (SQLException e) {
            failed(replica, e);
            return null;
        }
    }

    private Lease writerLeaseForRead(boolean causal) throws SQLException {
        // A causal read that no replica can serve goes to the writer even when it normally takes no reads:
        // correctness first.
        if (!causal && !config.primaryAcceptsReads()) {
            throw new NoReadableNodeException("no usable replica, and primaryAcceptsReads is false");
        }
        Topology t = tracker.current();
        String fallback = t.readFallback();
        if (fallback == null) {
            throw new NoReadableNodeException((causal ? "no replica provably holds the token's write, and "
                    : "no usable replica, and ") + t.refusalMessage());
        }
        NodePool writer = byName.get(fallback);
        try {
            Lease l = new Lease(writer, writer.borrow());
            writer.meters().connections(true).increment();
            return l;
        } catch (SQLException e) {
            if (!isConnectionFailure(e)) {
                throw e;
            }
            failed(writer, e);
            throw new NoReadableNodeException("no usable replica, and the writer " + writer.name() + " is unreachable: "
                    + NodeMonitor.oneLine(e), e);
        }
    }

    private <T> T onWriter(SqlFunction<Connection, T> work, boolean causal) throws SQLException {
        return runAndRelease(writerLeaseForRead(causal), work, false);
    }

    /** A plain read: on the replica, retried on the writer if the replica fails for a connection reason. */
    private <T> T onReplicaOrWriter(NodePool replica, SqlFunction<Connection, T> work) throws SQLException {
        Lease lease = tryLease(replica);
        if (lease == null) {
            metrics.fallback(RouterMetrics.Fallback.REPLICA_ERROR);
            return onWriter(work, false);
        }
        return onLeasedReplica(lease, work, false);
    }

    /**
     * Runs a read on a replica's lease; a connection failure there (the replica died under the query) is retried on
     * the writer, which holds every write a causal read may wait for. Reads are safe to repeat: the caller sees a
     * slower answer instead of an error, as with ProxySQL's {@code query_retries_on_failure}.
     */
    private <T> T onLeasedReplica(Lease lease, SqlFunction<Connection, T> work, boolean causal) throws SQLException {
        NodePool replica = lease.node();
        replica.meters().connections(true).increment();
        try {
            return work.apply(LentConnection.lend(lease.physical(), replica, NodeCalls.lent(this, replica, false)));
        } catch (SQLException e) {
            if (!isConnectionFailure(e)) {
                throw e;
            }
            failed(replica, e);
            metrics.fallback(RouterMetrics.Fallback.REPLICA_ERROR);
            return onWriter(work, causal);
        } finally {
            releaseQuietly(lease);
        }
    }

    private <T> T runAndRelease(Lease lease, SqlFunction<Connection, T> work, boolean countConnection) throws SQLException {
        if (countConnection) {
            lease.node().meters().connections(true).increment();
        }
        try {
            return work.apply(LentConnection.lend(lease.physical(), lease.node(),
                    NodeCalls.lent(this, lease.node(), false)));
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

    /** What a replica knows of a token's write. */
    private enum Reach {
        /** Applied: the replica holds the write. */
        REACHED,
        /** Not applied yet (or the wait timed out). */
        NOT_YET,
        /** Past the token's sequence number with another server's writes: the write may be lost ({@link GtidPositions}). */
        OTHER_LINEAGE
    }

    /** Whether the replica on {@code lease} holds {@code token}'s write, waiting up to the causal timeout if asked. */
    private Reach reached(Lease lease, ConsistencyToken token, boolean wait) throws SQLException {
        NodePool node = lease.node();
        Flavor flavor = node.flavor(lease.physical());
        if (flavor != token.flavor()) {
            // A token from another kind of server cannot be waited for here.
            return Reach.NOT_YET;
        }
        long t0 = System.nanoTime();
        boolean ok = false;
        try (PreparedStatement ps = lease.physical().prepareStatement(wait ? flavor.waitSql() : flavor.reachedSql())) {
            ps.setString(1, token.position());
            if (wait) {
                ps.setBigDecimal(2, causalTimeoutSeconds);
            }
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    long result = rs.getLong(1);
                    ok = !rs.wasNull() && flavor.waitSucceeded(result);
                }
            }
        }
        if (wait) {
            node.meters().gtidWait(System.nanoTime() - t0, ok);
        }
        if (!ok) {
            return Reach.NOT_YET;
        }
        String appliedSql = flavor.appliedPositionSql();
        if (appliedSql == null) {
            return Reach.REACHED;
        }
        // Read after the wait, in its own statement, so it is at least as new as what the wait saw.
        try (Statement s = lease.physical().createStatement(); ResultSet rs = s.executeQuery(appliedSql)) {
            String applied = rs.next() ? rs.getString(1) : null;
            return flavor.holds(applied, token.position()) ? Reach.REACHED : Reach.OTHER_LINEAGE;
        }
    }

    private ConsistencyToken capturePosition(NodePool writer, Connection c) {
        try {
            Flavor flavor = writer.flavor(c);
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
            LOG.warn("db-router: committed, but could not read the GTID position of {}: {}", writer.name(),
                    NodeMonitor.oneLine(e));
            return null;
        }
    }

    /** A call on {@code node} failed: a connection failure marks it down until the monitor sees it again. */
    void failed(NodePool node, SQLException e) {
        if (isConnectionFailure(e)) {
            node.markDown(NodeMonitor.oneLine(e));
            refreshTopology();
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
