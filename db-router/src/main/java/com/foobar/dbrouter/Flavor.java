package com.foobar.dbrouter;

import java.util.regex.Pattern;

/** MariaDB and MySQL differ in GTID format, in how to wait for one, and in replica status. Detected once per node. */
enum Flavor {
    MARIADB('M', Pattern.compile("\\d{1,10}-\\d{1,10}-\\d{1,20}(,\\d{1,10}-\\d{1,10}-\\d{1,20}){0,63}")) {
        @Override
        String capturePositionSql() {
            // @@last_gtid is this session's own last commit: exact and cheap. It is empty when the work wrote
            // nothing, and then the whole binlog position is a safe upper bound.
            return "SELECT @@last_gtid, @@global.gtid_binlog_pos";
        }

        @Override
        String waitSql() {
            // 0 = reached, -1 = timed out. The timeout is in seconds, fractions allowed.
            return "SELECT MASTER_GTID_WAIT(?, ?)";
        }

        @Override
        boolean waitSucceeded(long result) {
            return result == 0;
        }

        @Override
        String reachedSql() {
            return "SELECT MASTER_GTID_WAIT(?, 0)";
        }

        @Override
        String replicaStatusSql() {
            return "SHOW SLAVE STATUS";
        }

        @Override
        String lagColumn() {
            return "Seconds_Behind_Master";
        }

        @Override
        String ioRunningColumn() {
            return "Slave_IO_Running";
        }

        @Override
        String sqlRunningColumn() {
            return "Slave_SQL_Running";
        }

        @Override
        String roleSql() {
            // MariaDB has no super_read_only: read_only binds everyone without READ_ONLY ADMIN.
            return "SELECT @@server_id, @@global.read_only, 0";
        }

        @Override
        String sourceServerIdColumn() {
            return "Master_Server_Id";
        }

        @Override
        String appliedPositionSql() {
            return "SELECT @@global.gtid_slave_pos";
        }

        @Override
        boolean holds(String applied, String token) {
            return GtidPositions.holds(applied, token);
        }
    },
    MYSQL('Y', Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
            + "(:[A-Za-z_][A-Za-z0-9_]{0,31}|:\\d{1,20}(-\\d{1,20})?)+"
            + "(,[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
            + "(:[A-Za-z_][A-Za-z0-9_]{0,31}|:\\d{1,20}(-\\d{1,20})?)+){0,63}")) {
        @Override
        String capturePositionSql() {
            return "SELECT '', @@global.gtid_executed";
        }

        @Override
        String waitSql() {
            // 0 = reached, 1 = timed out.
            return "SELECT WAIT_FOR_EXECUTED_GTID_SET(?, ?)";
        }

        @Override
        boolean waitSucceeded(long result) {
            return result == 0;
        }

        @Override
        String reachedSql() {
            return "SELECT IF(GTID_SUBSET(?, @@global.gtid_executed), 0, 1)";
        }

        @Override
        String replicaStatusSql() {
            return "SHOW REPLICA STATUS";
        }

        @Override
        String lagColumn() {
            return "Seconds_Behind_Source";
        }

        @Override
        String ioRunningColumn() {
            return "Replica_IO_Running";
        }

        @Override
        String sqlRunningColumn() {
            return "Replica_SQL_Running";
        }

        @Override
        String roleSql() {
            // super_read_only also binds accounts with SUPER / CONNECTION_ADMIN; a node is writable only with both off.
            return "SELECT @@server_id, @@global.read_only, @@global.super_read_only";
        }

        @Override
        String sourceServerIdColumn() {
            return "Source_Server_Id";
        }

        @Override
        String appliedPositionSql() {
            // WAIT_FOR_EXECUTED_GTID_SET and GTID_SUBSET test set inclusion: reaching the token proves holding it.
            return null;
        }

        @Override
        boolean holds(String applied, String token) {
            return true;
        }
    };

    final char code;
    private final Pattern gtidSyntax;

    Flavor(char code, Pattern gtidSyntax) {
        this.code = code;
        this.gtidSyntax = gtidSyntax;
    }

    static Flavor ofVersion(String version) {
        return version != null && version.toLowerCase(java.util.Locale.ROOT).contains("mariadb") ? MARIADB : MYSQL;
    }

    static Flavor ofCode(char code) {
        for (Flavor f : values()) {
            if (f.code == code) {
                return f;
            }
        }
        return null;
    }

    boolean isValidPosition(String gtid) {
        return gtidSyntax.matcher(gtid).matches();
    }

    /** Two columns: the session's own last GTID (may be empty) and the server's whole executed position. */
    abstract String capturePositionSql();

    abstract String waitSql();

    abstract boolean waitSucceeded(long result);

    /** Like {@link #waitSql()} with no waiting: 0 when the position is already applied. */
    abstract String reachedSql();

    abstract String replicaStatusSql();

    abstract String lagColumn();

    abstract String ioRunningColumn();

    abstract String sqlRunningColumn();

    /** Three columns: {@code @@server_id}, {@code read_only}, {@code super_read_only} (0 where there is none). */
    abstract String roleSql();

    /** The replica status column naming the server_id of the node it replicates from. */
    abstract String sourceServerIdColumn();

    /**
     * One column: the position a replica has applied, for {@link #holds}; null when reaching a token already proves
     * holding it.
     */
    abstract String appliedPositionSql();

    /**
     * Whether a replica at {@code applied} (from {@link #appliedPositionSql()}) holds the writes of {@code token},
     * once the wait said it reached it. See {@link GtidPositions} for why MariaDB needs this.
     */
    abstract boolean holds(String applied, String token);

    /** {@code read_only} values: 0/1 or OFF/ON; anything else, or nothing, is taken as on: not writable is the safe side. */
    static boolean isOn(String value) {
        if (value == null) {
            return true;
        }
        String v = value.trim();
        return !(v.equals("0") || v.equalsIgnoreCase("OFF") || v.equalsIgnoreCase("FALSE"));
    }
}
