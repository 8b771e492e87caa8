package com.foobar.devdb;

import java.time.Duration;
import java.util.List;

/** The few statements where MariaDB and MySQL 8.4 differ. */
enum Dialect {
    MARIADB {
        @Override
        String replicaStatus() {
            return "SHOW SLAVE STATUS";
        }

        @Override
        String stopReplica() {
            return "STOP SLAVE";
        }

        @Override
        String startReplica() {
            return "START SLAVE";
        }

        @Override
        String stopSqlThread() {
            return "STOP SLAVE SQL_THREAD";
        }

        @Override
        String startSqlThread() {
            return "START SLAVE SQL_THREAD";
        }

        @Override
        String changeDelay(long seconds) {
            return "CHANGE MASTER TO MASTER_DELAY = " + seconds;
        }

        @Override
        String changeSource(String host, int port, String user, String password) {
            // slave_pos: the replica resumes from the GTIDs it has applied, so a reused data dir picks up where it was.
            return "CHANGE MASTER TO MASTER_HOST = '" + host + "', MASTER_PORT = " + port + ", MASTER_USER = '" + user
                    + "', MASTER_PASSWORD = '" + password + "', MASTER_USE_GTID = slave_pos, MASTER_CONNECT_RETRY = 1, MASTER_SSL = 0";
        }

        @Override
        String sourceHostColumn() {
            return "Master_Host";
        }

        @Override
        String sourcePortColumn() {
            return "Master_Port";
        }

        @Override
        String lagColumn() {
            return "Seconds_Behind_Master";
        }

        @Override
        String replicationPrivileges() {
            return "REPLICATION SLAVE";
        }

        @Override
        String monitorPrivileges() {
            // MariaDB 10.5+ split REPLICATION CLIENT: SHOW SLAVE STATUS needs SLAVE MONITOR.
            return "SLAVE MONITOR, BINLOG MONITOR";
        }

        @Override
        String failoverPrivileges() {
            // What a failover tool does: read_only (READ_ONLY ADMIN, no longer part of SUPER since 11.0), stop,
            // repoint and start replication, set gtid_slave_pos, switch semi-sync sides, read every status.
            return "SUPER, READ_ONLY ADMIN, REPLICATION SLAVE ADMIN, REPLICATION MASTER ADMIN, BINLOG ADMIN,"
                    + " BINLOG MONITOR, SLAVE MONITOR, REPLICATION SLAVE, PROCESS, RELOAD, CONNECTION ADMIN";
        }

        @Override
        List<String> semiSyncSetup(Duration timeout) {
            // Built into MariaDB since 10.3; the replica side and the timeouts come from the server options.
            return List.of();
        }

        @Override
        List<String> makeWriter(boolean semiSync) {
            return semiSync
                    ? List.of("SET GLOBAL rpl_semi_sync_master_enabled = ON", "SET GLOBAL read_only = 0")
                    : List.of("SET GLOBAL read_only = 0");
        }

        @Override
        List<String> makeReplica(boolean semiSync) {
            return semiSync
                    ? List.of("SET GLOBAL read_only = 1", "SET GLOBAL rpl_semi_sync_master_enabled = OFF",
                            "SET GLOBAL rpl_semi_sync_slave_enabled = ON")
                    : List.of("SET GLOBAL read_only = 1");
        }
    },
    MYSQL {
        @Override
        String replicaStatus() {
            return "SHOW REPLICA STATUS";
        }

        @Override
        String stopReplica() {
            return "STOP REPLICA";
        }

        @Override
        String startReplica() {
            return "START REPLICA";
        }

        @Override
        String stopSqlThread() {
            return "STOP REPLICA SQL_THREAD";
        }

        @Override
        String startSqlThread() {
            return "START REPLICA SQL_THREAD";
        }

        @Override
        String changeDelay(long seconds) {
            return "CHANGE REPLICATION SOURCE TO SOURCE_DELAY = " + seconds;
        }

        @Override
        String changeSource(String host, int port, String user, String password) {
            return "CHANGE REPLICATION SOURCE TO SOURCE_HOST = '" + host + "', SOURCE_PORT = " + port + ", SOURCE_USER = '"
                    + user + "', SOURCE_PASSWORD = '" + password + "', SOURCE_AUTO_POSITION = 1, GET_SOURCE_PUBLIC_KEY = 1,"
                    + " SOURCE_CONNECT_RETRY = 1";
        }

        @Override
        String sourceHostColumn() {
            return "Source_Host";
        }

        @Override
        String sourcePortColumn() {
            return "Source_Port";
        }

        @Override
        String lagColumn() {
            return "Seconds_Behind_Source";
        }

        @Override
        String replicationPrivileges() {
            return "REPLICATION SLAVE";
        }

        @Override
        String monitorPrivileges() {
            return "REPLICATION CLIENT";
        }

        @Override
        String failoverPrivileges() {
            return "SYSTEM_VARIABLES_ADMIN, REPLICATION_SLAVE_ADMIN, REPLICATION CLIENT, REPLICATION SLAVE, PROCESS,"
                    + " RELOAD, CONNECTION_ADMIN";
        }

        @Override
        List<String> semiSyncSetup(Duration timeout) {
            // MySQL 8.4 ships semi-sync as plugins; INSTALL PLUGIN is remembered in mysql.plugin across restarts.
            return List.of(
                    "INSTALL PLUGIN rpl_semi_sync_source SONAME 'semisync_source.so'",
                    "INSTALL PLUGIN rpl_semi_sync_replica SONAME 'semisync_replica.so'",
                    "SET PERSIST rpl_semi_sync_source_timeout = " + timeout.toMillis(),
                    "SET PERSIST rpl_semi_sync_source_wait_point = AFTER_SYNC");
        }

        @Override
        List<String> makeWriter(boolean semiSync) {
            return semiSync
                    ? List.of("SET PERSIST rpl_semi_sync_source_enabled = ON", "SET PERSIST super_read_only = OFF",
                            "SET PERSIST read_only = OFF")
                    : List.of("SET PERSIST super_read_only = OFF", "SET PERSIST read_only = OFF");
        }

        @Override
        List<String> makeReplica(boolean semiSync) {
            return semiSync
                    ? List.of("SET PERSIST super_read_only = ON", "SET PERSIST rpl_semi_sync_source_enabled = OFF",
                            "SET PERSIST rpl_semi_sync_replica_enabled = ON")
                    : List.of("SET PERSIST super_read_only = ON");
        }
    };

    abstract String replicaStatus();

    abstract String stopReplica();

    abstract String startReplica();

    abstract String stopSqlThread();

    abstract String startSqlThread();

    abstract String changeDelay(long seconds);

    abstract String changeSource(String host, int port, String user, String password);

    abstract String sourceHostColumn();

    abstract String sourcePortColumn();

    abstract String lagColumn();

    abstract String replicationPrivileges();

    abstract String monitorPrivileges();

    /** Privileges of the account a failover tool (db-failover) uses. */
    abstract String failoverPrivileges();

    /** Statements, run on every node once, that make semi-synchronous replication available. */
    abstract List<String> semiSyncSetup(Duration timeout);

    /** Makes a node the writer: writable, and (with semi-sync) waiting for a replica's acknowledgement. */
    abstract List<String> makeWriter(boolean semiSync);

    /** Makes a node a read-only replica, acknowledging to its primary with semi-sync. Run before START. */
    abstract List<String> makeReplica(boolean semiSync);

    static long wholeSeconds(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("replication delay " + d + " is negative");
        }
        long s = d.getSeconds();
        return d.getNano() > 0 ? s + 1 : s;
    }
}
