package com.foobar.devdb;

import java.time.Duration;

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

    static long wholeSeconds(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("replication delay " + d + " is negative");
        }
        long s = d.getSeconds();
        return d.getNano() > 0 ? s + 1 : s;
    }
}
