package com.foobar.dbrouter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.foobar.devdb.DbNode;
import com.foobar.devdb.DevDb;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What a failover tool (db-failover, Orchestrator, MHA) does to embedded MariaDB nodes, over JDBC as the servers'
 * admin: fence, promote, repoint, re-attach. The router under test is told nothing: it must see the changes itself.
 *
 * <p>It uses devdb's admin account of the embedded MariaDB ({@code devdb_admin}, which devdb does not expose through
 * its API) and a replication account it creates itself. Only devdb's replicas run with {@code log_slave_updates}, so
 * only they are promoted: a node without it would lack its former source's events in its binlog, and its replicas
 * could not resume from their GTID position. The drill therefore never promotes devdb's original primary again once
 * it was demoted, and the tests are written against whatever node is the writer now, not against names.
 */
final class FailoverDrill {
    /** devdb's embedded MariaDB admin account (MariaDbProcess.ADMIN_USER/ADMIN_PASSWORD, package-private there). */
    private static final String ADMIN_USER = "devdb_admin";
    private static final String ADMIN_PASSWORD = "devdb-admin";
    private static final String REPL_USER = "router_test_repl";
    private static final String REPL_PASSWORD = "router-test-repl";
    static final Duration SETTLE = Duration.ofSeconds(60);

    private final DevDb db;

    FailoverDrill(DevDb db) {
        this.db = db;
    }

    Connection admin(DbNode n) throws SQLException {
        return DriverManager.getConnection("jdbc:mysql://" + n.host() + ":" + n.port()
                + "/?useSSL=false&allowPublicKeyRetrieval=true&connectTimeout=5000", ADMIN_USER, ADMIN_PASSWORD);
    }

    void exec(DbNode n, String... sql) throws SQLException {
        try (Connection c = admin(n); Statement s = c.createStatement()) {
            for (String q : sql) {
                s.execute(q);
            }
        }
    }

    String scalar(DbNode n, String sql) throws SQLException {
        try (Connection c = admin(n); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    // ---------------------------------------------------------------- what a failover tool does

    /** First statement on an old writer: no more writes there. */
    void fence(DbNode n) throws SQLException {
        exec(n, "SET GLOBAL read_only = 1");
    }

    /** What a restarted MariaDB primary is by default (no read_only in its configuration). */
    void makeWritable(DbNode n) throws SQLException {
        exec(n, "SET GLOBAL read_only = 0");
    }

    void stopReplication(DbNode n) throws SQLException {
        exec(n, "STOP SLAVE");
    }

    /** Stop replicating for good, then take writes. */
    void promote(DbNode n) throws SQLException {
        exec(n, "STOP SLAVE", "RESET SLAVE ALL", "SET GLOBAL read_only = 0");
    }

    /** A replica follows {@code source} from the GTIDs it applied. */
    void repoint(DbNode replica, DbNode source) throws SQLException {
        exec(replica, "STOP SLAVE", changeMaster(source, "slave_pos"), "START SLAVE");
    }

    /**
     * A former writer becomes a replica of {@code source}: read-only first, then from its current position, which
     * includes its own writes ({@code current_pos}; MariaDB KB "GTID: switching a master to a slave"). Only a node
     * without errant transactions can be re-attached this way.
     */
    void reattach(DbNode old, DbNode source) throws SQLException {
        exec(old, "SET GLOBAL read_only = 1", "STOP SLAVE", changeMaster(source, "current_pos"), "START SLAVE");
    }

    /**
     * A former writer that has a write its successor lacks (an errant transaction) is rebuilt: a real tool refuses to
     * re-attach it and an operator restores it from a backup; here the errant row is deleted unlogged, its binlog
     * reset, and it resumes from {@code position}, the one it had before the errant write.
     */
    void rebuild(DbNode old, DbNode source, String position, String... unloggedCleanup) throws SQLException {
        List<String> sql = new ArrayList<>();
        sql.add("SET GLOBAL read_only = 1");
        sql.add("STOP SLAVE");
        sql.add("SET SESSION sql_log_bin = 0");
        sql.addAll(List.of(unloggedCleanup));
        sql.add("RESET MASTER");
        sql.add("SET GLOBAL gtid_slave_pos = '" + position + "'");
        sql.add(changeMaster(source, "slave_pos"));
        sql.add("START SLAVE");
        exec(old, sql.toArray(new String[0]));
    }

    private String changeMaster(DbNode source, String useGtid) {
        return "CHANGE MASTER TO MASTER_HOST = '" + source.host() + "', MASTER_PORT = " + source.port()
                + ", MASTER_USER = '" + REPL_USER + "', MASTER_PASSWORD = '" + REPL_PASSWORD
                + "', MASTER_USE_GTID = " + useGtid + ", MASTER_CONNECT_RETRY = 1, MASTER_SSL = 0";
    }

    String binlogPosition(DbNode n) throws SQLException {
        return scalar(n, "SELECT @@global.gtid_binlog_pos");
    }

    /** Waits until {@code replica} has applied {@code position} (what a tool does before promoting it). */
    void awaitApplied(DbNode replica, String position) throws SQLException {
        try (Connection c = admin(replica); PreparedStatement ps = c.prepareStatement("SELECT MASTER_GTID_WAIT(?, ?)")) {
            ps.setString(1, position);
            ps.setInt(2, (int) SETTLE.toSeconds());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getInt(1)).as("%s applied %s", replica.name(), position).isZero();
            }
        }
    }

    // ---------------------------------------------------------------- what the cluster is now

    /** One writer (writable, not replicating) and the replicas following it, as the servers say. */
    record Cluster(DbNode writer, List<DbNode> replicas) {
        /** A replica that may be promoted (one of devdb's replicas: they keep replicated events in their binlog). */
        DbNode promotable(DevDb db) {
            for (DbNode r : replicas) {
                if (!r.name().equals(db.primary().name())) {
                    return r;
                }
            }
            throw new IllegalStateException("no promotable replica among " + replicas);
        }

        /** The replica other than {@code t}. */
        DbNode other(DbNode t) {
            for (DbNode r : replicas) {
                if (!r.name().equals(t.name())) {
                    return r;
                }
            }
            throw new IllegalStateException("no replica other than " + t.name());
        }
    }

    /**
     * Starts stopped nodes, creates the replication account, and waits until there is exactly one writer and every
     * other node replicates from it and has applied all it wrote. Fails with what it saw otherwise.
     */
    Cluster settle() throws SQLException {
        for (DbNode n : db.nodes()) {
            if (!n.isRunning()) {
                n.start();
            }
        }
        await().atMost(SETTLE).ignoreExceptions().until(() -> writers().size() == 1);
        DbNode writer = writers().get(0);
        exec(writer, "CREATE USER IF NOT EXISTS '" + REPL_USER + "'@'%' IDENTIFIED BY '" + REPL_PASSWORD + "'",
                "GRANT REPLICATION SLAVE ON *.* TO '" + REPL_USER + "'@'%'");
        List<DbNode> replicas = new ArrayList<>();
        for (DbNode n : db.nodes()) {
            if (!n.name().equals(writer.name())) {
                replicas.add(n);
            }
        }
        String position = binlogPosition(writer);
        for (DbNode r : replicas) {
            await().atMost(SETTLE).ignoreExceptions().untilAsserted(() -> {
                try (Connection c = admin(r); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW SLAVE STATUS")) {
                    assertThat(rs.next()).as("%s replicates", r.name()).isTrue();
                    assertThat(rs.getString("Master_Port")).as("%s replicates from the writer %s", r.name(), writer.name())
                            .isEqualTo(String.valueOf(writer.port()));
                    assertThat(rs.getString("Slave_IO_Running") + "/" + rs.getString("Slave_SQL_Running"))
                            .as("%s replication threads", r.name()).isEqualTo("Yes/Yes");
                }
            });
            awaitApplied(r, position);
        }
        return new Cluster(writer, List.copyOf(replicas));
    }

    private List<DbNode> writers() throws SQLException {
        List<DbNode> out = new ArrayList<>();
        for (DbNode n : db.nodes()) {
            try (Connection c = admin(n); Statement s = c.createStatement()) {
                boolean readOnly;
                try (ResultSet rs = s.executeQuery("SELECT @@global.read_only")) {
                    rs.next();
                    readOnly = rs.getInt(1) != 0;
                }
                boolean replicating;
                try (ResultSet rs = s.executeQuery("SHOW SLAVE STATUS")) {
                    replicating = rs.next() && (!"No".equals(rs.getString("Slave_IO_Running"))
                            || "Yes".equals(rs.getString("Slave_SQL_Running")));
                }
                if (!readOnly && !replicating) {
                    out.add(n);
                }
            }
        }
        return out;
    }
}
