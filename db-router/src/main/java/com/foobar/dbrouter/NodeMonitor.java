package com.foobar.dbrouter;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Polls every node the same way, on its own connection (outside the pools, so an exhausted pool cannot blind it):
 * who it is ({@code @@server_id}), whether it takes writes ({@code read_only}, {@code super_read_only}), and its
 * replication state and lag. No node is assumed to be the primary: roles come from these answers
 * ({@link TopologyJudge}). One thread per node, so a node that hangs on connect does not delay news about the others.
 */
final class NodeMonitor implements AutoCloseable {
    /** Urgent rounds (a write waiting for a writer) are at most this frequent, whatever the poll interval. */
    static final Duration MAX_URGENT_RATE = Duration.ofMillis(100);

    private final List<NodePool> nodes;
    private final RouterConfig config;
    private final Runnable onChange;
    private final ScheduledExecutorService scheduler;
    private final Connection[] connections;
    private final Object[] locks;
    private final long urgentEveryNanos;
    private final AtomicLong lastUrgent = new AtomicLong(System.nanoTime() - TimeUnit.DAYS.toNanos(1));

    NodeMonitor(List<NodePool> nodes, RouterConfig config, Runnable onChange) {
        this.nodes = List.copyOf(nodes);
        this.config = config;
        this.onChange = onChange;
        this.connections = new Connection[nodes.size()];
        this.locks = new Object[nodes.size()];
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new Object();
        }
        this.urgentEveryNanos = Math.min(config.monitorInterval().toNanos(), MAX_URGENT_RATE.toNanos());
        AtomicInteger n = new AtomicInteger();
        this.scheduler = Executors.newScheduledThreadPool(nodes.size(), r -> {
            Thread t = new Thread(r, config.name() + "-monitor-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Checks every node once, in parallel, so the router starts knowing the state; then keeps polling. */
    void start() {
        List<CompletableFuture<Void>> first = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            int index = i;
            first.add(CompletableFuture.runAsync(() -> check(index), scheduler));
        }
        CompletableFuture.allOf(first.toArray(new CompletableFuture<?>[0])).join();
        onChange.run();
        long interval = config.monitorInterval().toMillis();
        for (int i = 0; i < nodes.size(); i++) {
            int index = i;
            scheduler.scheduleWithFixedDelay(() -> {
                check(index);
                onChange.run();
            }, interval, interval, TimeUnit.MILLISECONDS);
        }
    }

    /** Checks now, outside the schedule (after a failure or a read-only refusal seen on the request path). */
    void checkNow(NodePool node) {
        int index = nodes.indexOf(node);
        if (index >= 0 && !scheduler.isShutdown()) {
            try {
                scheduler.execute(() -> {
                    check(index);
                    onChange.run();
                });
            } catch (java.util.concurrent.RejectedExecutionException closing) {
                // The router is closing.
            }
        }
    }

    /**
     * Checks every node now, at most once per {@link #MAX_URGENT_RATE} (or poll interval, if shorter) however many
     * callers ask: writes waiting for a writer learn of a promotion without waiting for the next poll.
     */
    void checkAllSoon() {
        long now = System.nanoTime();
        long last = lastUrgent.get();
        if (now - last < urgentEveryNanos || !lastUrgent.compareAndSet(last, now)) {
            return;
        }
        for (NodePool n : nodes) {
            checkNow(n);
        }
    }

    private void check(int index) {
        // A scheduled check and a checkNow() may overlap; each node's monitor connection is used by one at a time.
        synchronized (locks[index]) {
            checkLocked(index);
        }
    }

    private void checkLocked(int index) {
        NodePool node = nodes.get(index);
        try {
            Connection c = connection(index);
            if (node.flavor() == null) {
                node.flavorDetected(detect(c));
            }
            node.observed(observe(node.flavor(), c));
        } catch (SQLException | RuntimeException e) {
            closeConnection(index);
            node.markDown(oneLine(e));
        }
    }

    /** Two statements: identity and writability, then replication status. */
    static NodeObservation observe(Flavor flavor, Connection c) throws SQLException {
        long serverId;
        boolean readOnly;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(flavor.roleSql())) {
            rs.next();
            serverId = rs.getLong(1);
            readOnly = Flavor.isOn(rs.getString(2)) || Flavor.isOn(rs.getString(3));
        }
        NodeObservation.Replication replication;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(flavor.replicaStatusSql())) {
            if (!rs.next()) {
                replication = NodeObservation.Replication.NONE;
            } else {
                Object lag = rs.getObject(flavor.lagColumn());
                replication = new NodeObservation.Replication(true, rs.getString(flavor.ioRunningColumn()),
                        rs.getString(flavor.sqlRunningColumn()), lag == null ? null : ((Number) lag).longValue(),
                        rs.getLong(flavor.sourceServerIdColumn()));
            }
        }
        return NodeObservation.up(serverId, readOnly, replication, flavor);
    }

    private static Flavor detect(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT @@version")) {
            rs.next();
            return Flavor.ofVersion(rs.getString(1));
        }
    }

    private Connection connection(int index) throws SQLException {
        Connection c = connections[index];
        if (c == null) {
            NodePool node = nodes.get(index);
            Properties p = new Properties();
            p.setProperty("user", config.username());
            p.setProperty("password", config.password());
            String timeout = String.valueOf(config.connectionTimeout().toMillis());
            p.setProperty("connectTimeout", timeout);
            // A hung server must not hang the monitor: a status query answers in milliseconds.
            p.setProperty("socketTimeout", timeout);
            c = DriverManager.getConnection(node.url(), p);
            connections[index] = c;
        }
        return c;
    }

    private void closeConnection(int index) {
        Connection c;
        synchronized (locks[index]) {
            c = connections[index];
            connections[index] = null;
        }
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // Already broken; nothing to release.
            }
        }
    }

    static String oneLine(Throwable e) {
        String m = e.getMessage();
        if (m == null) {
            m = e.getClass().getSimpleName();
        }
        int nl = m.indexOf('\n');
        return nl >= 0 ? m.substring(0, nl).trim() : m;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (int i = 0; i < connections.length; i++) {
            closeConnection(i);
        }
    }
}
