package com.foobar.dbfailover.sql;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The statements of each step, as sent. MariaDB's are also proven against real servers by the module's other tests;
 * MySQL 8.4's are checked here only (no MySQL server where these tests run): names from the 8.4 reference manual.
 */
class FlavorStatementsTest {

    @Test
    void flavorIsToldFromTheServerVersion() {
        assertThat(Flavor.fromVersion("11.4.5-MariaDB-log").name()).isEqualTo("mariadb");
        assertThat(Flavor.fromVersion("8.4.3").name()).isEqualTo("mysql");
    }

    @Test
    void mySqlFencesWithSuperReadOnlyPersistedSoARestartKeepsIt() {
        Flavor f = Flavor.mysql();
        assertThat(f.fence()).containsExactly("SET PERSIST super_read_only = ON");
        assertThat(f.makeWritable()).containsExactly("SET PERSIST super_read_only = OFF", "SET PERSIST read_only = OFF");
        assertThat(f.semiSyncSource(true)).containsExactly("SET PERSIST rpl_semi_sync_source_enabled = ON");
        assertThat(f.semiSyncReplica()).containsExactly("SET PERSIST rpl_semi_sync_replica_enabled = ON");
    }

    @Test
    void mySqlUsesThe84ReplicaStatementsAndAutoPosition() {
        Flavor f = Flavor.mysql();
        assertThat(f.stopReceiving()).isEqualTo("STOP REPLICA IO_THREAD");
        assertThat(f.startApplying()).isEqualTo("START REPLICA SQL_THREAD");
        assertThat(f.resetReplication()).isEqualTo("RESET REPLICA ALL");
        assertThat(f.alignBeforeAttach()).isEmpty();
        assertThat(f.changeSource("db-2", 3306, "repl", "it's", false)).isEqualTo("CHANGE REPLICATION SOURCE TO"
                + " SOURCE_HOST = 'db-2', SOURCE_PORT = 3306, SOURCE_USER = 'repl', SOURCE_PASSWORD = 'it''s',"
                + " SOURCE_AUTO_POSITION = 1, GET_SOURCE_PUBLIC_KEY = 1, SOURCE_CONNECT_RETRY = 1, SOURCE_SSL = 0");
        assertThat(f.waitForApplied()).isEqualTo("SELECT WAIT_FOR_EXECUTED_GTID_SET(?, ?)");
        assertThat(MySqlFlavor.variablesQuery()).contains("performance_schema.global_variables")
                .contains("rpl_semi_sync_source_enabled").contains("Rpl_semi_sync_source_status");
    }

    @Test
    void mariaDbAttachesByGtidFromItsAppliedPositionAndSaysWhetherToUseTls() {
        Flavor f = Flavor.mariadb();
        assertThat(f.fence()).containsExactly("SET GLOBAL read_only = 1");
        assertThat(f.alignBeforeAttach()).containsExactly("SET GLOBAL gtid_slave_pos = @@global.gtid_binlog_pos");
        assertThat(f.changeSource("127.0.0.1", 13307, "repl", "a\\b", true)).isEqualTo("CHANGE MASTER TO"
                + " MASTER_HOST = '127.0.0.1', MASTER_PORT = 13307, MASTER_USER = 'repl', MASTER_PASSWORD = 'a\\\\b',"
                + " MASTER_USE_GTID = slave_pos, MASTER_CONNECT_RETRY = 1, MASTER_SSL = 1");
        assertThat(f.waitForApplied()).isEqualTo("SELECT MASTER_GTID_WAIT(?, ?)");
    }
}
