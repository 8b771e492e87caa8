package com.foobar.dbfailover.sql;

import com.foobar.dbfailover.gtid.MySqlGtidState;
import com.foobar.dbfailover.probe.Reading;
import com.foobar.dbfailover.probe.Replication;
import com.foobar.dbfailover.probe.SemiSync;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * MySQL 8.4: GTID sets with auto-position, {@code super_read_only}, semi-sync as the {@code rpl_semi_sync_source} and
 * {@code rpl_semi_sync_replica} plugins, the 8.4 statement names ({@code SHOW REPLICA STATUS},
 * {@code CHANGE REPLICATION SOURCE TO}). Written from the MySQL 8.4 reference manual; no MySQL server runs where
 * this project's tests run, so these statements are checked by unit tests only.
 */
final class MySqlFlavor implements Flavor {
    static final MySqlFlavor INSTANCE = new MySqlFlavor();

    private MySqlFlavor() {
    }

    @Override
    public String name() {
        return "mysql";
    }

    @Override
    public Reading read(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            String version;
            long serverId;
            boolean readOnly;
            String executed;
            try (ResultSet rs = s.executeQuery("SELECT @@version, @@server_id, @@global.read_only, @@global.super_read_only,"
                    + " @@global.gtid_executed")) {
                rs.next();
                version = rs.getString(1);
                serverId = rs.getLong(2);
                readOnly = rs.getInt(3) != 0 || rs.getInt(4) != 0;
                executed = rs.getString(5);
            }
            // performance_schema rather than @@: without the semi-sync plugins these variables do not exist.
            Map<String, String> values = new HashMap<>();
            try (ResultSet rs = s.executeQuery(variablesQuery())) {
                while (rs.next()) {
                    values.put(rs.getString(1).toLowerCase(java.util.Locale.ROOT), rs.getString(2));
                }
            }
            Replication replication = null;
            String retrieved = "";
            try (ResultSet rs = s.executeQuery("SHOW REPLICA STATUS")) {
                if (rs.next()) {
                    String host = rs.getString("Source_Host");
                    if (host != null && !host.isEmpty()) {
                        replication = new Replication(host, rs.getInt("Source_Port"), rs.getString("Replica_IO_Running"),
                                "Yes".equalsIgnoreCase(rs.getString("Replica_SQL_Running")),
                                MariaDbFlavor.text(rs.getString("Last_IO_Error")), MariaDbFlavor.text(rs.getString("Last_SQL_Error")),
                                MariaDbFlavor.nullableLong(rs, "Seconds_Behind_Source"), rs.getLong("SQL_Delay"));
                        retrieved = MariaDbFlavor.text(rs.getString("Retrieved_Gtid_Set"));
                    }
                }
            }
            boolean available = values.containsKey("rpl_semi_sync_source_enabled");
            SemiSync semiSync = available
                    ? new SemiSync(true, on(values.get("rpl_semi_sync_source_enabled")),
                            on(values.get("rpl_semi_sync_source_status")),
                            Long.parseLong(values.getOrDefault("rpl_semi_sync_source_clients", "0")),
                            on(values.get("rpl_semi_sync_replica_enabled")))
                    : SemiSync.UNAVAILABLE;
            return new Reading(version, serverId, readOnly, Duration.ofSeconds(Long.parseLong(values.getOrDefault("uptime", "0"))),
                    replication, MySqlGtidState.of(executed, retrieved), semiSync);
        }
    }

    static String variablesQuery() {
        return "SELECT VARIABLE_NAME, VARIABLE_VALUE FROM performance_schema.global_variables WHERE VARIABLE_NAME IN"
                + " ('rpl_semi_sync_source_enabled', 'rpl_semi_sync_replica_enabled')"
                + " UNION ALL SELECT VARIABLE_NAME, VARIABLE_VALUE FROM performance_schema.global_status WHERE VARIABLE_NAME IN"
                + " ('Uptime', 'Rpl_semi_sync_source_status', 'Rpl_semi_sync_source_clients')";
    }

    private static boolean on(String value) {
        return "ON".equalsIgnoreCase(value) || "1".equals(value);
    }

    @Override
    public List<String> fence() {
        // super_read_only also blocks accounts with CONNECTION_ADMIN/SUPER, which read_only lets write.
        return List.of("SET PERSIST super_read_only = ON");
    }

    @Override
    public List<String> makeWritable() {
        return List.of("SET PERSIST super_read_only = OFF", "SET PERSIST read_only = OFF");
    }

    @Override
    public List<String> semiSyncSource(boolean on) {
        return List.of("SET PERSIST rpl_semi_sync_source_enabled = " + (on ? "ON" : "OFF"));
    }

    @Override
    public List<String> semiSyncReplica() {
        return List.of("SET PERSIST rpl_semi_sync_replica_enabled = ON");
    }

    @Override
    public String stopReceiving() {
        return "STOP REPLICA IO_THREAD";
    }

    @Override
    public String startReceiving() {
        return "START REPLICA IO_THREAD";
    }

    @Override
    public String startApplying() {
        return "START REPLICA SQL_THREAD";
    }

    @Override
    public String removeDelay() {
        return "CHANGE REPLICATION SOURCE TO SOURCE_DELAY = 0";
    }

    @Override
    public String stopReplication() {
        return "STOP REPLICA";
    }

    @Override
    public String resetReplication() {
        return "RESET REPLICA ALL";
    }

    @Override
    public List<String> alignBeforeAttach() {
        return List.of();
    }

    @Override
    public String changeSource(String host, int port, String user, String password, boolean ssl) {
        return "CHANGE REPLICATION SOURCE TO SOURCE_HOST = " + Flavor.literal(host) + ", SOURCE_PORT = " + port
                + ", SOURCE_USER = " + Flavor.literal(user) + ", SOURCE_PASSWORD = " + Flavor.literal(password)
                + ", SOURCE_AUTO_POSITION = 1, GET_SOURCE_PUBLIC_KEY = 1, SOURCE_CONNECT_RETRY = 1, SOURCE_SSL = " + (ssl ? 1 : 0);
    }

    @Override
    public String startReplication() {
        return "START REPLICA";
    }

    @Override
    public String waitForApplied() {
        // 0 once gtid_executed contains the set, 1 on timeout.
        return "SELECT WAIT_FOR_EXECUTED_GTID_SET(?, ?)";
    }
}
