package com.foobar.dbfailover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.foobar.dbfailover.report.Event;
import com.foobar.dbfailover.report.EventKind;
import com.foobar.dbfailover.status.NodeView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The old primary comes back after a failover: it is fenced (made read-only) by the first statement the decider sends
 * it, then re-attached as a replica of the new primary; or, when it has transactions the new primary lacks, left
 * read-only and alone, loudly.
 */
class OldPrimaryReturnTest {
    private static final Duration FAILOVER_AFTER = Duration.ofSeconds(2);
    private static final Duration WITHIN = Duration.ofSeconds(60);

    @Test
    void returningPrimaryIsFencedByTheFirstStatementThenReattachedAsAReplica() throws Exception {
        // The server's general log shows every statement it received, in order, whoever sent it.
        try (FailoverCluster c = FailoverCluster.start(db -> db.semiSync(true).serverArgs("--general-log=ON"),
                f -> f.failoverAfter(FAILOVER_AFTER))) {
            createTable(c, "primary");
            insert(c, "primary", 1);
            Path generalLog = generalLog(c, "primary");
            c.kill("primary");
            c.awaitEvent(EventKind.PROMOTED, "replica-1", WITHIN);
            insert(c, "replica-1", 2);
            long logBefore = Files.size(generalLog);

            c.node("primary").start();

            Event reattached = c.awaitEvent(EventKind.REATTACHED, "primary", WITHIN);
            Event fenced = c.event(EventKind.FENCED, "primary").orElseThrow();
            assertThat(fenced.at()).isBeforeOrEqualTo(reattached.at());
            assertThat(firstStatementsOfTheDecider(generalLog, logBefore, c.db.failoverUser()))
                    .as("what the decider's first connection to the returning primary sent, after the driver's own set-up")
                    .first().isEqualTo("SET GLOBAL read_only = 1");
            // A read replica of the new primary now: read-only, replicating, with what was written after the failover.
            assertThat(c.scalar("primary", "SELECT @@global.read_only")).isEqualTo("1");
            await().atMost(WITHIN).until(() -> ids(c, "primary").contains(2L));
            try (Connection op = c.operator("primary"); Statement s = op.createStatement();
                 ResultSet rs = s.executeQuery("SHOW SLAVE STATUS")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt("Master_Port")).isEqualTo(c.node("replica-1").port());
                assertThat(rs.getString("Using_Gtid")).isEqualTo("Slave_Pos");
            }
            await().atMost(WITHIN).until(() -> "replica".equals(c.failover.status().node("primary").role()));
            assertThat(c.failover.status().node("primary").fencedOnContact()).isFalse();
            // Semi-sync sides follow the roles: the new primary waits for the old one's acknowledgement.
            assertThat(c.scalar("primary", "SELECT @@global.rpl_semi_sync_master_enabled")).isEqualTo("0");
            assertThat(c.scalar("replica-1", "SELECT @@global.rpl_semi_sync_master_enabled")).isEqualTo("1");
            await().atMost(WITHIN).until(() -> "ON".equals(status(c, "replica-1", "Rpl_semi_sync_master_status")));
        }
    }

    @Test
    void returningPrimaryWithErrantTransactionsIsNotReattachedAndTheDeciderSaysSoLoudly() throws Exception {
        try (FailoverCluster c = FailoverCluster.start(db -> { }, f -> f.failoverAfter(FAILOVER_AFTER))) {
            createTable(c, "primary");
            insert(c, "primary", 1);
            await().atMost(WITHIN).until(() -> ids(c, "replica-1").contains(1L));
            // Asynchronous replication with the replica not receiving: these commits exist on the primary alone.
            c.execute("replica-1", "STOP SLAVE IO_THREAD");
            insert(c, "primary", 2);
            insert(c, "primary", 3);
            insert(c, "primary", 4);
            c.kill("primary");
            c.awaitEvent(EventKind.PROMOTED, "replica-1", WITHIN);

            c.node("primary").start();

            Event refused = c.awaitEvent(EventKind.ERRANT_REFUSED, "primary", WITHIN);
            assertThat(refused.loud()).isTrue();
            assertThat(refused.message()).contains("3 transaction(s) the primary replica-1 lacks")
                    .contains("errant GTIDs 0-1-").contains("NOT re-attached");
            assertThat(c.output()).contains("!! errant-refused primary: ");
            NodeView view = c.failover.status().node("primary");
            assertThat(view.role()).isEqualTo("refused");
            assertThat(view.errant()).startsWith("0-1-");
            assertThat(view.errantTransactions()).isEqualTo(3);
            assertThat(c.failover.metrics()).contains("db_failover_node_errant_transactions{node=\"primary\"} 3.0")
                    .contains("db_failover_node_role{node=\"primary\",role=\"refused\"} 1.0");
            // Left alone: read-only, replicating from nobody, its own rows intact; and it stays so.
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                    .until(() -> "refused".equals(c.failover.status().node("primary").role()));
            assertThat(c.scalar("primary", "SELECT @@global.read_only")).isEqualTo("1");
            try (Connection op = c.operator("primary"); Statement s = op.createStatement();
                 ResultSet rs = s.executeQuery("SHOW SLAVE STATUS")) {
                assertThat(rs.next()).isFalse();
            }
            assertThat(ids(c, "primary")).contains(2L, 3L, 4L);
            assertThat(ids(c, "replica-1")).doesNotContain(2L, 3L, 4L);
            assertThat(c.event(EventKind.REATTACHED, "primary")).isEmpty();
        }
    }

    static void createTable(FailoverCluster c, String node) throws SQLException {
        try (Connection app = c.app(node); Statement s = app.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS items (id BIGINT PRIMARY KEY)");
        }
    }

    static void insert(FailoverCluster c, String node, long id) throws SQLException {
        try (Connection app = c.app(node); Statement s = app.createStatement()) {
            s.execute("INSERT INTO items VALUES (" + id + ")");
        }
    }

    static Set<Long> ids(FailoverCluster c, String node) throws SQLException {
        Set<Long> ids = new HashSet<>();
        try (Connection app = c.app(node); Statement s = app.createStatement();
             ResultSet rs = s.executeQuery("SELECT id FROM items")) {
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
        }
        return ids;
    }

    static String status(FailoverCluster c, String node, String variable) throws SQLException {
        try (Connection op = c.operator(node); Statement s = op.createStatement();
             ResultSet rs = s.executeQuery("SHOW GLOBAL STATUS LIKE '" + variable + "'")) {
            return rs.next() ? rs.getString(2) : null;
        }
    }

    private static Path generalLog(FailoverCluster c, String node) throws SQLException {
        Path file = Path.of(c.scalar(node, "SELECT @@global.general_log_file"));
        return file.isAbsolute() ? file : Path.of(c.scalar(node, "SELECT @@global.datadir")).resolve(file);
    }

    /**
     * The statements the decider's account sent on its first connection after {@code offset} in the general log,
     * leaving out what Connector/J sends on its own when it connects (they carry its {@code /* mysql-connector-j}
     * comment, or set session variables).
     */
    private static List<String> firstStatementsOfTheDecider(Path log, long offset, String user) throws Exception {
        byte[] all = Files.readAllBytes(log);
        String text = new String(all, (int) offset, all.length - (int) offset, java.nio.charset.StandardCharsets.UTF_8);
        String connection = null;
        List<String> statements = new ArrayList<>();
        for (String line : text.split("\n")) {
            java.util.regex.Matcher m = java.util.regex.Pattern
                    .compile("^(?:\\S+\\s+\\S+\\s+)?\\s*(\\d+) (Connect|Query)\\t?\\s*(.*)$").matcher(line.trim());
            if (!m.matches()) {
                continue;
            }
            String id = m.group(1);
            if (m.group(2).equals("Connect") && connection == null && m.group(3).startsWith(user + "@")) {
                connection = id;
            } else if (m.group(2).equals("Query") && id.equals(connection)) {
                String sql = m.group(3).trim();
                if (!sql.startsWith("/* mysql-connector-j") && !sql.startsWith("SET ") || sql.startsWith("SET GLOBAL")) {
                    statements.add(sql);
                }
            }
        }
        return statements;
    }
}
