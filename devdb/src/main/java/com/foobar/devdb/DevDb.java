package com.foobar.devdb;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

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
 *
 * <p>Roles are decided after the servers started, not by their names: every embedded server starts read-only, and
 * devdb makes the writer writable. On new data the writer is the node named {@code primary}. On kept data it is the
 * writer of the last run ({@link TopologyFile}): after a failover tool promoted {@code replica-1}, the next start keeps
 * {@code replica-1} as the primary, the old primary as its replica, and a node the tool fenced and left alone stays
 * read-only and alone.
 */
public final class DevDb implements AutoCloseable {
    private final Cluster cluster;
    private final DevDbOptions options;
    private final Node writer;
    private final List<Node> others;
    private final Set<Node> leftAlone;
    private final Supervision supervision;
    private volatile boolean closed;

    private DevDb(Cluster cluster, DevDbOptions options, Node writer, List<Node> others, Set<Node> leftAlone,
                  Supervision supervision) {
        this.cluster = cluster;
        this.options = options;
        this.writer = writer;
        this.others = List.copyOf(others);
        this.leftAlone = Set.copyOf(leftAlone);
        this.supervision = supervision;
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
                + options.dataDir().map(d -> ", data in " + d).orElse(", throw-away data")
                + (options.semiSync() ? ", semi-synchronous (timeout " + options.semiSyncTimeout().toMillis() + " ms)" : ""));
        Cluster cluster = engine == Engine.EMBEDDED_MARIADB
                ? EmbeddedMariaDbCluster.start(options)
                : MySqlContainerCluster.start(options);
        DevDb db;
        try {
            if (external) {
                // The primary is another devdb's (another machine or network namespace): this one runs its replica.
                Node writer = cluster.primary();
                List<Node> replicas = List.copyOf(cluster.replicas());
                for (Node n : replicas) {
                    ReplicationSetup.configureReplica(n, writer, options);
                    n.role(Role.REPLICA, options);
                }
                ReplicationSetup.verifyAgainstExternal(writer, replicas, Duration.ofSeconds(60));
                Supervision supervision = new Supervision(replicas, options.restartCrashed(), options.crashRestartDelay(),
                        null, new TopologyFile.Record(writer.name(), List.of()));
                db = new DevDb(cluster, options, writer, replicas, new LinkedHashSet<>(), supervision);
            } else {
                List<Node> all = new ArrayList<>();
                all.add(cluster.primary());
                all.addAll(cluster.replicas());
                Optional<TopologyFile.Record> record = engine == Engine.EMBEDDED_MARIADB
                        ? options.dataDir().flatMap(TopologyFile::read) : Optional.empty();
                Node writer = chooseWriter(all, record);
                Set<Node> leftAlone = new LinkedHashSet<>();
                if (record.isPresent() && record.get().writer.equals(writer.name())) {
                    for (Node n : all) {
                        if (n != writer && !n.freshData() && record.get().readOnly.contains(n.name())) {
                            leftAlone.add(n);
                        }
                    }
                }
                ReplicationSetup.configurePrimary(writer, options);
                writer.role(Role.WRITER, options);
                List<Node> others = new ArrayList<>();
                List<Node> replicas = new ArrayList<>();
                for (Node n : all) {
                    if (n == writer) {
                        continue;
                    }
                    others.add(n);
                    if (leftAlone.contains(n)) {
                        n.role(Role.READ_ONLY, options);
                        DevDbConsole.progress("!! " + n.name() + ": was read-only and replicating from nobody when devdb last"
                                + " looked (fenced by a failover tool, which refused to re-attach it?): left read-only and"
                                + " alone. Re-attach it by hand, or start with fresh data");
                    } else {
                        ReplicationSetup.configureReplica(n, writer, options);
                        n.role(Role.REPLICA, options);
                        replicas.add(n);
                    }
                }
                ReplicationSetup.verify(writer, replicas);
                Path keep = engine == Engine.EMBEDDED_MARIADB ? options.dataDir().orElse(null) : null;
                List<String> alone = leftAlone.stream().map(Node::name).toList();
                Supervision supervision = new Supervision(all, options.restartCrashed() && engine == Engine.EMBEDDED_MARIADB,
                        options.crashRestartDelay(), keep, new TopologyFile.Record(writer.name(), alone));
                db = new DevDb(cluster, options, writer, others, leftAlone, supervision);
            }
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
        DevDbConsole.progress("ready\n" + DevDbConsole.table(db.nodes(), options.user(),
                Duration.ofNanos(System.nanoTime() - t0)));
        return db;
    }

    /**
     * The node to make the writer: on new data {@code primary}; on kept data the recorded writer, else the one node
     * that replicates from nobody (preferring {@code primary}, as data from before the record was kept has it so).
     */
    static Node chooseWriter(List<Node> all, Optional<TopologyFile.Record> record) {
        Node byName = all.get(0);
        if (all.stream().allMatch(Node::freshData)) {
            return byName;
        }
        if (record.isPresent()) {
            for (Node n : all) {
                if (n.name().equals(record.get().writer)) {
                    if (n != byName) {
                        DevDbConsole.progress("topology kept from the last run: " + n.name()
                                + " is the primary (a failover tool promoted it)");
                    }
                    return n;
                }
            }
        }
        List<Node> alone = new ArrayList<>();
        for (Node n : all) {
            if (n.freshData()) {
                continue;
            }
            try {
                if (ReplicationSetup.observe(n).source == null) {
                    alone.add(n);
                }
            } catch (SQLException e) {
                throw new DevDbException(n.name() + ": cannot read its replication status: " + e.getMessage(), e);
            }
        }
        if (alone.contains(byName) || alone.isEmpty()) {
            return byName;
        }
        if (alone.size() > 1) {
            DevDbConsole.progress("warning: " + alone.size() + " nodes replicate from nobody and no topology was"
                    + " recorded; taking " + alone.get(0).name() + " as the primary");
        }
        DevDbConsole.progress("topology kept from the last run: " + alone.get(0).name()
                + " is the primary (it replicates from nobody)");
        return alone.get(0);
    }

    /** The engine actually running ({@link Engine#AUTO} resolved). */
    public Engine engine() {
        return cluster.engine();
    }

    /** The node devdb made the writer at start (named {@code primary} unless a failover moved it in an earlier run). */
    public DbNode primary() {
        return writer;
    }

    /** Every other node, in name order: the replicas (and a node left read-only and alone, if any). */
    public List<ReplicaNode> replicas() {
        return List.copyOf(others);
    }

    /** The primary first, then the replicas. */
    public List<DbNode> nodes() {
        List<DbNode> all = new ArrayList<>();
        all.add(writer);
        all.addAll(others);
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
     * The account for a failover tool such as db-failover: it may set read_only, stop, repoint and start
     * replication, and read every status, but has no rights on the application's data beyond that.
     */
    public String failoverUser() {
        return ReplicationSetup.FAILOVER_USER;
    }

    public String failoverPassword() {
        return ReplicationSetup.FAILOVER_PASSWORD;
    }

    /** The account replicas connect to their primary with (a failover tool repoints them with it). */
    public String replicationUser() {
        return ReplicationSetup.REPL_USER;
    }

    public String replicationPassword() {
        return ReplicationSetup.REPL_PASSWORD;
    }

    /** Whether replication is semi-synchronous. */
    public boolean semiSync() {
        return options.semiSync();
    }

    /**
     * Waits until every running replica has applied everything the primary has committed so far, bounded by
     * {@code timeout}. Tests use it to start from a known state after fault injection.
     */
    public void awaitReplicasCaughtUp(Duration timeout) {
        if (options.replicaOfHost().isPresent()) {
            ReplicationSetup.verifyAgainstExternal(writer, runningReplicas(), timeout);
            return;
        }
        ReplicationSetup.verify(writer, runningReplicas(), timeout);
    }

    private List<Node> runningReplicas() {
        List<Node> running = new ArrayList<>();
        for (Node r : others) {
            if (r.isRunning() && !leftAlone.contains(r)) {
                running.add(r);
            }
        }
        return running;
    }

    /** Stops all servers cleanly; kept data stays intact for the next start, with the roles as they ended. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        supervision.close();
        cluster.close();
        DevDbConsole.progress("stopped");
    }
}
