package com.foobar.devdb;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A replicated primary and replicas for development, tests and the local stack.
 *
 * <pre>{@code
 * try (DevDb db = DevDb.start(DevDbOptions.defaults())) {
 *     String writeUrl = db.primary().jdbcUrl();
 *     String readUrl = db.replicas().get(0).jdbcUrl();
 *     ... connect as db.user() / db.password()
 * }
 * }</pre>
 *
 * {@link #start} returns only once replication is verified: a row written on the primary was read back from every
 * replica. Start one per test JVM and share it: a start takes seconds.
 */
public final class DevDb implements AutoCloseable {
    private final Cluster cluster;
    private final DevDbOptions options;
    private volatile boolean closed;

    private DevDb(Cluster cluster, DevDbOptions options) {
        this.cluster = cluster;
        this.options = options;
    }

    /** Starts the servers, sets up users and replication, and verifies it; prints progress on stdout. */
    public static DevDb start(DevDbOptions options) throws DevDbException {
        long t0 = System.nanoTime();
        boolean external = options.replicaOfHost().isPresent();
        // A bind address or an external primary exist for embedded MariaDB only; AUTO then means that engine.
        Engine engine = options.engine() == Engine.AUTO && (external || options.bindAddress().isPresent())
                ? Engine.EMBEDDED_MARIADB
                : options.engine().resolve(System.getenv());
        if (engine != Engine.EMBEDDED_MARIADB && (external || options.bindAddress().isPresent())) {
            throw new DevDbException((external ? "replicaOf" : "bindAddress") + ": only with embedded MariaDB (FOOBAR_DB says mysql)");
        }
        DevDbConsole.progress("starting " + (engine == Engine.EMBEDDED_MARIADB ? "embedded MariaDB" : "MySQL 8.4 containers")
                + (external
                    ? ": 1 replica of the primary at " + options.replicaOfHost().get() + ":" + options.replicaOfPort()
                    : ": 1 primary + " + options.replicas() + " replica(s)")
                + options.bindAddress().map(a -> ", listening on 127.0.0.1 and " + a).orElse("")
                + options.dataDir().map(d -> ", data in " + d).orElse(", throw-away data"));
        Cluster cluster = engine == Engine.EMBEDDED_MARIADB
                ? EmbeddedMariaDbCluster.start(options)
                : MySqlContainerCluster.start(options);
        try {
            if (!external) {
                ReplicationSetup.configurePrimary(cluster.primary(), options);
            }
            for (Node replica : cluster.replicas()) {
                ReplicationSetup.configureReplica(replica, cluster.primary(), engine == Engine.MYSQL_CONTAINER);
            }
            if (external) {
                ReplicationSetup.verifyAgainstExternal(cluster.primary(), cluster.replicas(), Duration.ofSeconds(60));
            } else {
                ReplicationSetup.verify(cluster.primary(), cluster.replicas());
            }
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
        DevDb db = new DevDb(cluster, options);
        DevDbConsole.progress("ready\n" + DevDbConsole.table(db.nodes(), options.user(),
                Duration.ofNanos(System.nanoTime() - t0)));
        return db;
    }

    /** The engine actually running ({@link Engine#AUTO} resolved). */
    public Engine engine() {
        return cluster.engine();
    }

    public DbNode primary() {
        return cluster.primary();
    }

    public List<ReplicaNode> replicas() {
        return List.copyOf(cluster.replicas());
    }

    /** The primary first, then the replicas. */
    public List<DbNode> nodes() {
        List<DbNode> all = new ArrayList<>();
        all.add(cluster.primary());
        all.addAll(cluster.replicas());
        return List.copyOf(all);
    }

    /** The application user: all rights on {@link #database()}, plus reading replication status. Not root. */
    public String user() {
        return options.user();
    }

    public String password() {
        return options.password();
    }

    public String database() {
        return options.database();
    }

    /**
     * Waits until every running replica has applied everything the primary has committed so far, bounded by
     * {@code timeout}. Tests use it to start from a known state after fault injection.
     */
    public void awaitReplicasCaughtUp(Duration timeout) {
        if (options.replicaOfHost().isPresent()) {
            ReplicationSetup.verifyAgainstExternal(cluster.primary(), runningReplicas(), timeout);
            return;
        }
        ReplicationSetup.verify(cluster.primary(), runningReplicas(), timeout);
    }

    private List<Node> runningReplicas() {
        List<Node> running = new ArrayList<>();
        for (Node r : cluster.replicas()) {
            if (r.isRunning()) {
                running.add(r);
            }
        }
        return running;
    }

    /** Stops all servers cleanly; kept data stays intact for the next start. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        cluster.close();
        DevDbConsole.progress("stopped");
    }
}
