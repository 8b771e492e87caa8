package com.foobar.dbfailover.probe;

import com.foobar.dbfailover.config.FailoverConfig;
import com.foobar.dbfailover.config.NodeConfig;
import com.foobar.dbfailover.sql.Flavor;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Probes one node, {@code check_interval} after its previous probe ended, on a thread of its own, so that a node that hangs delays only its own
 * reports, over one kept connection (re-opened after any failure).
 *
 * <p>A node marked {@link #fenceOnContact(boolean) fence on contact} (a demoted primary) gets the fence statement as
 * the first statement on every probe, before anything is read: a primary that comes back is made read-only on first
 * contact, before the decider even looks at it. The flavor is known before that statement from the server's
 * handshake (the version it announces), not from a query.
 */
public final class NodeProber implements AutoCloseable {
    private final NodeConfig node;
    private final FailoverConfig config;
    private final AtomicReference<Flavor> flavor;
    private final Clock clock;
    private final Thread thread;
    private final AtomicReference<NodeState> latest;
    private final java.util.function.Consumer<NodeState> onProbe;
    private volatile boolean fenceOnContact;
    private volatile boolean closed;
    private Connection connection;
    private Instant lastAnswer;

    /**
     * @param flavor shared by the probers of one replication group: set by the first that connects (config
     *               {@code flavor: auto}) or given
     */
    public NodeProber(NodeConfig node, FailoverConfig config, AtomicReference<Flavor> flavor, Clock clock,
                      java.util.function.Consumer<NodeState> onProbe) {
        this.onProbe = onProbe;
        this.node = node;
        this.config = config;
        this.flavor = flavor;
        this.clock = clock;
        this.latest = new AtomicReference<>(NodeState.unknown(node.name(), clock.instant()));
        this.thread = new Thread(this::run, "probe-" + node.name());
        this.thread.setDaemon(true);
    }

    public NodeProber start() {
        thread.start();
        return this;
    }

    public NodeConfig node() {
        return node;
    }

    public NodeState latest() {
        return latest.get();
    }

    /** From now on every probe fences the node first (until turned off, when it is re-attached). */
    public void fenceOnContact(boolean on) {
        this.fenceOnContact = on;
    }

    public boolean fencesOnContact() {
        return fenceOnContact;
    }

    /** A probe every check_interval after the previous one ended: a struggling server is not asked faster. */
    private void run() {
        long interval = config.checkInterval().toNanos();
        while (!closed) {
            NodeState state = probe();
            latest.set(state);
            onProbe.accept(state);
            LockSupport.parkNanos(this, interval);
        }
        closeConnection();
    }

    /** One probe: connect if needed, fence first when asked to, read. */
    NodeState probe() {
        long t0 = System.nanoTime();
        boolean fenced = false;
        try {
            if (connection == null || connection.isClosed()) {
                connection = Jdbc.connect(node, config, config.probeTimeout());
            }
            Flavor f = flavor.get();
            if (f == null) {
                f = Flavor.fromVersion(connection.getMetaData().getDatabaseProductVersion());
                flavor.compareAndSet(null, f);
                f = flavor.get();
            }
            if (fenceOnContact) {
                try (Statement s = connection.createStatement()) {
                    for (String sql : f.fence()) {
                        s.execute(sql);
                    }
                }
                fenced = true;
            }
            Reading reading = f.read(connection);
            Instant now = clock.instant();
            lastAnswer = now;
            return new NodeState(node.name(), now, reading, null, lastAnswer,
                    Duration.ofNanos(System.nanoTime() - t0), fenced);
        } catch (SQLException | RuntimeException e) {
            closeConnection();
            return new NodeState(node.name(), clock.instant(), null, Jdbc.oneLine(e), lastAnswer,
                    Duration.ofNanos(System.nanoTime() - t0), false);
        }
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                // Broken already; nothing to tell.
            }
            connection = null;
        }
    }

    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5) + config.probeTimeout().toMillis() + config.connectTimeout().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
