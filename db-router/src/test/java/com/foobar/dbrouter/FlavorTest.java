package com.foobar.dbrouter;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The statements and columns each flavour's topology checks use. MySQL 8.4 cannot run on this machine, so its
 * side is checked here against the names in the MySQL 8.4 reference manual.
 */
class FlavorTest {
    @Test
    void mySqlIsWritableOnlyWithReadOnlyAndSuperReadOnlyOffAndNamesItsSourceBySourceServerId() {
        assertThat(Flavor.MYSQL.roleSql()).isEqualTo("SELECT @@server_id, @@global.read_only, @@global.super_read_only");
        assertThat(Flavor.MYSQL.replicaStatusSql()).isEqualTo("SHOW REPLICA STATUS");
        assertThat(Flavor.MYSQL.sourceServerIdColumn()).isEqualTo("Source_Server_Id");
        assertThat(Flavor.MYSQL.ioRunningColumn()).isEqualTo("Replica_IO_Running");
        assertThat(Flavor.MYSQL.sqlRunningColumn()).isEqualTo("Replica_SQL_Running");
        assertThat(Flavor.MYSQL.lagColumn()).isEqualTo("Seconds_Behind_Source");
        // GTID sets are compared by inclusion: reaching a token is holding it, no lineage check needed.
        assertThat(Flavor.MYSQL.appliedPositionSql()).isNull();
        assertThat(Flavor.MYSQL.holds(null, "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5")).isTrue();
    }

    @Test
    void mariaDbHasNoSuperReadOnlyAndChecksTheLineageOfItsGtids() {
        assertThat(Flavor.MARIADB.roleSql()).isEqualTo("SELECT @@server_id, @@global.read_only, 0");
        assertThat(Flavor.MARIADB.sourceServerIdColumn()).isEqualTo("Master_Server_Id");
        assertThat(Flavor.MARIADB.appliedPositionSql()).isEqualTo("SELECT @@global.gtid_slave_pos");
        assertThat(Flavor.MARIADB.holds("0-2-101", "0-1-101")).isFalse();
        assertThat(Flavor.MARIADB.holds("0-1-101", "0-1-101")).isTrue();
    }

    @Test
    void readOnlyValuesAreReadWhateverTheirSpelling() {
        assertThat(Flavor.isOn("0")).isFalse();
        assertThat(Flavor.isOn("OFF")).isFalse();
        assertThat(Flavor.isOn("1")).isTrue();
        assertThat(Flavor.isOn("ON")).isTrue();
        // A value it does not know, or none, is not writable: the safe side.
        assertThat(Flavor.isOn("SOMETHING_ELSE")).isTrue();
        assertThat(Flavor.isOn(null)).isTrue();
    }
}
