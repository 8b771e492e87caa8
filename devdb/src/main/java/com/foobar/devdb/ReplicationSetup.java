package com.foobar.devdb;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Users, databases and replication, all over JDBC and all idempotent: a reused data dir goes through the same steps
 * and only what is missing or changed is done.
 */
final class ReplicationSetup {
    static final String REPL_USER = "repl";
    static final String REPL_PASSWORD = "repl-devdb";
    /** The account a failover tool (db-failover) uses: replication control and read_only, no application data. */
    static final String FAILOVER_USER = "failover";
    static final String FAILOVER_PASSWORD = "failover-devdb";
    /** Holds the start-up check rows; kept out of the app database so that Flyway finds that one empty. */
    static final String CHECK_DATABASE = "devdb";
    private static final long VERIFY_TIMEOUT_MILLIS = 60_000;
    private static final long CONNECT_TIMEOUT_MILLIS = 60_000;

    private ReplicationSetup() {
    }

    static void configurePrimary(Node primary, DevDbOptions options) {
        Dialect d = primary.dialect();
        try (Connection c = connectAdmin(primary); Statement s = c.createStatement()) {
            dropAnonymousUsers(s);
            s.execute("CREATE DATABASE IF NOT EXISTS `" + options.database() + "` CHARACTER SET utf8mb4");
            List<String> hosts = clientHosts(d, options);
            for (String host : hosts) {
                account(s, REPL_USER, host, REPL_PASSWORD, d.replicationPrivileges() + " ON *.*");
                account(s, options.user(), host, options.password(), "ALL PRIVILEGES ON `" + options.database() + "`.*",
                        // The router's monitor reads replica status and GTID positions with the app's own credentials.
                        d.monitorPrivileges() + " ON *.*");
                account(s, FAILOVER_USER, host, FAILOVER_PASSWORD, d.failoverPrivileges() + " ON *.*");
                if (d == Dialect.MYSQL) {
                    s.execute("GRANT SELECT ON performance_schema.* TO '" + FAILOVER_USER + "'@'" + host + "'");
                }
            }
            if (!hosts.contains("%")) {
                // A data directory from before the accounts were bound keeps its '%' ones until they are dropped.
                for (String user : List.of(REPL_USER, options.user(), FAILOVER_USER)) {
                    s.execute("DROP USER IF EXISTS '" + user + "'@'%'");
                }
            }
            s.execute("CREATE DATABASE IF NOT EXISTS `" + CHECK_DATABASE + "`");
            s.execute("CREATE TABLE IF NOT EXISTS `" + CHECK_DATABASE + "`.replication_check ("
                    + "id BIGINT AUTO_INCREMENT PRIMARY KEY, token VARCHAR(64) NOT NULL, "
                    + "written_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6))");
        } catch (SQLException e) {
            throw new DevDbException(primary.name() + ": setup failed: " + e.getMessage(), e);
        }
        makeWriter(primary, options);
    }

    /**
     * The hosts the accounts are bound to: the ones asked for, else 127.0.0.1 for embedded MariaDB (the no-Docker
     * stack's clients are all on loopback) and '%' for MySQL in Docker (its clients come through Docker's port
     * mapping, from an address of Docker's choosing).
     */
    static List<String> clientHosts(Dialect d, DevDbOptions options) {
        return options.clientHosts().orElse(d == Dialect.MYSQL ? List.of("%") : List.of(MariaDbProcess.HOST));
    }

    /** Creates {@code 'user'@'host'} (or sets its password again) and grants it {@code grants}. */
    private static void account(Statement s, String user, String host, String password, String... grants)
            throws SQLException {
        String account = "'" + user + "'@'" + host + "'";
        s.execute("CREATE USER IF NOT EXISTS " + account + " IDENTIFIED BY '" + password + "'");
        s.execute("ALTER USER " + account + " IDENTIFIED BY '" + password + "'");
        for (String grant : grants) {
            s.execute("GRANT " + grant + " TO " + account);
        }
    }

    /** Makes the node the writer: semi-sync primary side when asked for, then writable. */
    static void makeWriter(Node node, DevDbOptions options) {
        Dialect d = node.dialect();
        try (Connection c = connectAdmin(node); Statement s = c.createStatement()) {
            if (options.semiSync()) {
                semiSyncSetup(s, d, options);
            }
            for (String sql : d.makeWriter(options.semiSync())) {
                s.execute(sql);
            }
        } catch (SQLException e) {
            throw new DevDbException(node.name() + ": cannot make it the writer: " + e.getMessage(), e);
        }
    }

    private static void semiSyncSetup(Statement s, Dialect d, DevDbOptions options) throws SQLException {
        for (String sql : d.semiSyncSetup(options.semiSyncTimeout())) {
            if (sql.startsWith("INSTALL PLUGIN ")) {
                String plugin = sql.substring("INSTALL PLUGIN ".length(), sql.indexOf(' ', "INSTALL PLUGIN ".length()));
                try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM information_schema.PLUGINS WHERE PLUGIN_NAME = '"
                        + plugin + "'")) {
                    if (rs.next() && rs.getInt(1) > 0) {
                        continue;
                    }
                }
            }
            s.execute(sql);
        }
    }

    /** What a node is now, as far as replication goes: writable or not, and where it replicates from. */
    static Observed observe(Node node) throws SQLException {
        Dialect d = node.dialect();
        try (Connection c = node.adminConnection(); Statement s = c.createStatement()) {
            boolean readOnly;
            try (ResultSet rs = s.executeQuery("SELECT @@global.read_only")) {
                readOnly = rs.next() && rs.getInt(1) != 0;
            }
            String source = null;
            try (ResultSet rs = s.executeQuery(d.replicaStatus())) {
                if (rs.next()) {
                    String host = rs.getString(d.sourceHostColumn());
                    if (host != null && !host.isEmpty()) {
                        source = host + ":" + rs.getInt(d.sourcePortColumn());
                    }
                }
            }
            return new Observed(readOnly, source);
        }
    }

    /** One look at a node: {@code source} is {@code host:port}, null when it replicates from nobody. */
    static final class Observed {
        final boolean readOnly;
        final String source;

        Observed(boolean readOnly, String source) {
            this.readOnly = readOnly;
            this.source = source;
        }

        Role role() {
            if (source != null) {
                return Role.REPLICA;
            }
            return readOnly ? Role.READ_ONLY : Role.WRITER;
        }
    }

    static void configureReplica(Node replica, Node primary, DevDbOptions options) {
        Dialect d = replica.dialect();
        String host = primary.process().hostSeenByReplicas();
        int port = primary.process().portSeenByReplicas();
        try (Connection c = connectAdmin(replica); Statement s = c.createStatement()) {
            s.execute("SET SESSION sql_log_bin = 0");
            dropAnonymousUsers(s);
            String configuredHost = null;
            int configuredPort = -1;
            try (ResultSet rs = s.executeQuery(d.replicaStatus())) {
                if (rs.next()) {
                    configuredHost = rs.getString(d.sourceHostColumn());
                    configuredPort = rs.getInt(d.sourcePortColumn());
                }
            }
            if (options.semiSync()) {
                semiSyncSetup(s, d, options);
            }
            for (String sql : d.makeReplica(options.semiSync())) {
                s.execute(sql);
            }
            if (host.equals(configuredHost) && port == configuredPort) {
                DevDbConsole.progress(replica.name() + ": resuming replication from " + host + ":" + port);
            } else {
                if (configuredHost != null && !configuredHost.isEmpty()) {
                    DevDbConsole.progress(replica.name() + ": primary moved from " + configuredHost + ":" + configuredPort
                            + " to " + host + ":" + port + "; keeping the GTID position");
                    s.execute(d.stopReplica());
                } else {
                    DevDbConsole.progress(replica.name() + ": replicating from " + host + ":" + port);
                }
                s.execute(d.changeSource(host, port, REPL_USER, REPL_PASSWORD));
            }
            if (options.semiSync()) {
                // The replica side of semi-sync takes effect when the I/O thread (re)starts.
                s.execute(d.stopReplica());
            }
            s.execute(d.startReplica());
        } catch (SQLException e) {
            throw new DevDbException(replica.name() + ": replication setup failed: " + e.getMessage(), e);
        }
    }

    /** Writes a fresh row on the primary and waits until every replica returns it. */
    static void verify(Node primary, List<Node> replicas) {
        verify(primary, replicas, java.time.Duration.ofMillis(VERIFY_TIMEOUT_MILLIS));
    }

    static void verify(Node primary, List<Node> replicas, java.time.Duration timeout) {
        String token = UUID.randomUUID().toString();
        try (Connection c = connectAdmin(primary);
             PreparedStatement ps = c.prepareStatement("INSERT INTO `" + CHECK_DATABASE + "`.replication_check (token) VALUES (?)")) {
            ps.setString(1, token);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new DevDbException(primary.name() + ": cannot write the replication check row: " + e.getMessage(), e);
        }
        for (Node replica : replicas) {
            awaitRow(replica, token, timeout.toMillis());
            DevDbConsole.progress(replica.name() + ": replication verified (row written on primary read back)");
        }
    }

    /**
     * For a primary another devdb runs, where we may not write: reads its GTID position (application account) and
     * waits until every replica has applied up to it ({@code MASTER_GTID_WAIT}), so the users, the database and the
     * start-up rows that devdb wrote there are here too.
     */
    static void verifyAgainstExternal(Node primary, List<Node> replicas, java.time.Duration timeout) {
        String position;
        try (Connection c = connectAdmin(primary); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT @@GLOBAL.gtid_binlog_pos")) {
            rs.next();
            position = rs.getString(1);
        } catch (SQLException e) {
            throw new DevDbException(primary.name() + " " + primary.host() + ":" + primary.port()
                    + ": cannot read its GTID position: " + e.getMessage(), e);
        }
        for (Node replica : replicas) {
            try (Connection c = connectAdmin(replica);
                 PreparedStatement ps = c.prepareStatement("SELECT MASTER_GTID_WAIT(?, ?)")) {
                ps.setString(1, position);
                ps.setDouble(2, timeout.toMillis() / 1000.0);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next() || rs.getInt(1) != 0) {
                        throw new DevDbException(replica.name() + ": replication not caught up to " + position + " after "
                                + timeout.toMillis() + " ms: " + replicationErrors(c, replica.dialect()));
                    }
                }
            } catch (SQLException e) {
                throw new DevDbException(replica.name() + ": cannot wait for GTID " + position + ": " + e.getMessage(), e);
            }
            DevDbConsole.progress(replica.name() + ": replication verified (caught up to the primary's GTID position "
                    + position + ")");
        }
    }

    private static void awaitRow(Node replica, String token, long timeoutMillis) {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        String lastProblem = "no answer yet";
        while (System.currentTimeMillis() < deadline) {
            try (Connection c = connectAdmin(replica);
                 PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM `" + CHECK_DATABASE + "`.replication_check WHERE token = ?")) {
                ps.setString(1, token);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next() && rs.getInt(1) == 1) {
                        return;
                    }
                }
                lastProblem = "row not there yet; " + replicationErrors(c, replica.dialect());
            } catch (SQLException e) {
                lastProblem = e.getMessage();
            }
            pause(100);
        }
        throw new DevDbException(replica.name() + ": replication not caught up after " + timeoutMillis + " ms: " + lastProblem);
    }

    private static String replicationErrors(Connection c, Dialect d) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(d.replicaStatus())) {
            if (!rs.next()) {
                return "replication is not configured";
            }
            return "io thread: " + rs.getString(d == Dialect.MARIADB ? "Slave_IO_Running" : "Replica_IO_Running")
                    + " " + nullToEmpty(rs.getString("Last_IO_Error"))
                    + "; sql thread: " + rs.getString(d == Dialect.MARIADB ? "Slave_SQL_Running" : "Replica_SQL_Running")
                    + " " + nullToEmpty(rs.getString("Last_SQL_Error"));
        }
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    private static void dropAnonymousUsers(Statement s) throws SQLException {
        // Anonymous users match before 'repl'@'%' and 'app'@'%' for local clients, and replication is refused.
        List<String> anonymous = new ArrayList<>();
        try (ResultSet rs = s.executeQuery("SELECT Host FROM mysql.user WHERE User = ''")) {
            while (rs.next()) {
                anonymous.add(rs.getString(1));
            }
        }
        for (String host : anonymous) {
            s.execute("DROP USER IF EXISTS ''@'" + host.replace("'", "''") + "'");
        }
    }

    /** Connects, retrying while a just-started server is still opening up. */
    static Connection connectAdmin(Node node) throws SQLException {
        long deadline = System.currentTimeMillis() + CONNECT_TIMEOUT_MILLIS;
        SQLException last;
        do {
            try {
                return node.adminConnection();
            } catch (SQLException e) {
                last = e;
            }
            pause(200);
        } while (System.currentTimeMillis() < deadline);
        throw last;
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DevDbException("interrupted");
        }
    }
}
