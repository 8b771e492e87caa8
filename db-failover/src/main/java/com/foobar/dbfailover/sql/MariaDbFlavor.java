package com.foobar.dbfailover.sql;

import com.foobar.dbfailover.gtid.MariaDbGtidState;
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

/** MariaDB 10.5+ (proven here on 11.4): GTID domain-server-sequence positions, semi-sync built in. */
final class MariaDbFlavor implements Flavor {
    static final MariaDbFlavor INSTANCE = new MariaDbFlavor();

    private MariaDbFlavor() {
    }

    @Override
    public String name() {
        return "mariadb";
    }

    @Override
    public Reading read(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            String version;
            long serverId;
            boolean readOnly;
            String currentPos;
            String slavePos;
            String binlogState;
            boolean sourceEnabled;
            boolean replicaEnabled;
            try (ResultSet rs = s.executeQuery("SELECT @@version, @@server_id, @@global.read_only, @@global.gtid_current_pos,"
                    + " @@global.gtid_slave_pos, @@global.gtid_binlog_state, @@global.rpl_semi_sync_master_enabled,"
                    + " @@global.rpl_semi_sync_slave_enabled")) {
                rs.next();
                version = rs.getString(1);
                serverId = rs.getLong(2);
                readOnly = rs.getInt(3) != 0;
                currentPos = rs.getString(4);
                slavePos = rs.getString(5);
                binlogState = rs.getString(6);
                sourceEnabled = rs.getInt(7) != 0;
                replicaEnabled = rs.getInt(8) != 0;
            }
            Map<String, String> status = new HashMap<>();
            try (ResultSet rs = s.executeQuery("SHOW GLOBAL STATUS WHERE Variable_name IN ('Uptime',"
                    + " 'Rpl_semi_sync_master_status', 'Rpl_semi_sync_master_clients')")) {
                while (rs.next()) {
                    status.put(rs.getString(1), rs.getString(2));
                }
            }
            Replication replication = null;
            String ioPos = "";
            try (ResultSet rs = s.executeQuery("SHOW SLAVE STATUS")) {
                if (rs.next()) {
                    String host = rs.getString("Master_Host");
                    if (host != null && !host.isEmpty()) {
                        replication = new Replication(host, rs.getInt("Master_Port"), rs.getString("Slave_IO_Running"),
                                "Yes".equalsIgnoreCase(rs.getString("Slave_SQL_Running")), text(rs.getString("Last_IO_Error")),
                                text(rs.getString("Last_SQL_Error")), nullableLong(rs, "Seconds_Behind_Master"),
                                rs.getLong("SQL_Delay"));
                        ioPos = text(rs.getString("Gtid_IO_Pos"));
                    }
                }
            }
            SemiSync semiSync = new SemiSync(true, sourceEnabled, "ON".equalsIgnoreCase(status.get("Rpl_semi_sync_master_status")),
                    Long.parseLong(status.getOrDefault("Rpl_semi_sync_master_clients", "0")), replicaEnabled);
            return new Reading(version, serverId, readOnly, Duration.ofSeconds(Long.parseLong(status.getOrDefault("Uptime", "0"))),
                    replication, MariaDbGtidState.of(currentPos, slavePos, binlogState, ioPos), semiSync);
        }
    }

    static String text(String s) {
        return s == null ? "" : s;
    }

    static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    @Override
    public List<String> fence() {
        return List.of("SET GLOBAL read_only = 1");
    }

    @Override
    public List<String> makeWritable() {
        return List.of("SET GLOBAL read_only = 0");
    }

    @Override
    public List<String> semiSyncSource(boolean on) {
        return List.of("SET GLOBAL rpl_semi_sync_master_enabled = " + (on ? "ON" : "OFF"));
    }

    @Override
    public List<String> semiSyncReplica() {
        return List.of("SET GLOBAL rpl_semi_sync_slave_enabled = ON");
    }

    @Override
    public String stopReceiving() {
        return "STOP SLAVE IO_THREAD";
    }

    @Override
    public String startReceiving() {
        return "START SLAVE IO_THREAD";
    }

    @Override
    public String startApplying() {
        return "START SLAVE SQL_THREAD";
    }

    @Override
    public String removeDelay() {
        return "CHANGE MASTER TO MASTER_DELAY = 0";
    }

    @Override
    public String stopReplication() {
        return "STOP SLAVE";
    }

    @Override
    public String resetReplication() {
        return "RESET SLAVE ALL";
    }

    @Override
    public List<String> alignBeforeAttach() {
        return List.of("SET GLOBAL gtid_slave_pos = @@global.gtid_binlog_pos");
    }

    @Override
    public String changeSource(String host, int port, String user, String password, boolean ssl) {
        // slave_pos: replicate from what this node has applied; the new primary finds that GTID in its binlog because
        // it wrote what it applied there too (log_slave_updates).
        return "CHANGE MASTER TO MASTER_HOST = " + Flavor.literal(host) + ", MASTER_PORT = " + port + ", MASTER_USER = "
                + Flavor.literal(user) + ", MASTER_PASSWORD = " + Flavor.literal(password)
                + ", MASTER_USE_GTID = slave_pos, MASTER_CONNECT_RETRY = 1, MASTER_SSL = " + (ssl ? 1 : 0);
    }

    @Override
    public String startReplication() {
        return "START SLAVE";
    }

    @Override
    public String waitForApplied() {
        // 0 once gtid_slave_pos has reached the position, -1 on timeout.
        return "SELECT MASTER_GTID_WAIT(?, ?)";
    }
}
