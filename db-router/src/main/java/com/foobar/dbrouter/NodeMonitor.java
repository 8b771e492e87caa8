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

/**
 * Polls every node on its own connection (outside the pools, so an exhausted pool cannot blind it): the primary for
 * liveness, each replica for its replication state and lag. One thread per node, so a node that hangs on connect does
 * not delay news about the others.
 */
final class NodeMonitor implements AutoCloseable {
    private final List<NodePool> nodes;
    private final NodePool primary;
    private final RouterConfig config;
    private final Runnable onChange;
    private final ScheduledExecutorService scheduler;
    private final Connection[] connections;
    private final Object[] locks;

    NodeMonitor(List<NodePool> nodes, RouterConfig config, Runnable onChange) {
        this.nodes = List.copyOf(nodes);
        this.primary = nodes.get(0);
        this.config = config;
        this.onChange = onChange;
        this.connections = new Connection[nodes.size()];
        this.locks = new Object[nodes.size()];
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new Object();
        }
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

    /** Checks now, outside the schedule (tests, and after a failure seen on the request path). */
    void checkNow(NodePool node) {
        int index = nodes.indexOf(node);
        if (index >= 0 && !scheduler.isShutdown()) {
            scheduler.execute(() -> {
                check(index);
                onChange.run();
            });
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
            if (!node.isReplica()) {
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
                    rs.next();
                }
                boolean wasUp = node.isUp();
                node.markUp(true, 0, "");
                if (!wasUp) {
                    recheckReplicas();
                }
                return;
            }
            checkReplica(node, c);
        } catch (SQLException | RuntimeException e) {
            closeConnection(index);
            boolean wasUp = node.isUp();
            node.markDown(oneLine(e));
            if (wasUp && !node.isReplica()) {
                recheckReplicas();
            }
        }
    }

    /** Replica usability depends on the primary's state (see checkReplica): re-judge them when it changes. */
    private void recheckReplicas() {
        for (NodePool n : nodes) {
            if (n.isReplica()) {
                checkNow(n);
            }
        }
    }

    private void checkReplica(NodePool node, Connection c) throws SQLException {
        Flavor flavor = node.flavor();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(flavor.replicaStatusSql())) {
            if (!rs.next()) {
                node.markUp(false, -1, "not a replica (no replication configured)");
                return;
            }
            Object lag = rs.getObject(flavor.lagColumn());
            if (lag == null) {
                boolean sqlRunning = "Yes".equalsIgnoreCase(rs.getString(flavor.sqlRunningColumn()));
                if (sqlRunning && !primary.isUp()) {
                    // The I/O thread cannot reach a primary that is down: nothing newer exists anywhere, so what the
                    // replica has applied is the freshest data there is. Reads go on here while writes fail fast.
                    node.markUp(true, -1, "");
                    return;
                }
                // NULL: the I/O or SQL thread is not running, so the replica is falling behind by an unknown amount.
                node.markUp(false, -1, "replication broken (" + flavor.lagColumn() + " is NULL, I/O thread "
                        + rs.getString(flavor.ioRunningColumn()) + ", SQL thread " + rs.getString(flavor.sqlRunningColumn()) + ")");
                return;
            }
            long seconds = ((Number) lag).longValue();
            Duration max = config.maxReplicationLag();
            if (Duration.ofSeconds(seconds).compareTo(max) > 0) {
                node.markUp(false, seconds, "lag " + seconds + " s is above maxReplicationLag " + max.toMillis() + " ms");
            } else {
                node.markUp(true, seconds, "");
            }
        }
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
