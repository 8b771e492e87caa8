package com.foobar.devdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DevDbOptionsTest {
    @Test
    void defaultsAreOneReplicaEphemeralPortsThrowAwayDataAndAuto() {
        DevDbOptions o = DevDbOptions.defaults();
        assertThat(o.replicas()).isEqualTo(1);
        assertThat(o.primaryPort()).isZero();
        assertThat(o.replicaPort(1)).isZero();
        assertThat(o.dataDir()).isEmpty();
        assertThat(o.engine()).isEqualTo(Engine.AUTO);
        assertThat(o.database()).isEqualTo("foobar");
        assertThat(o.user()).isEqualTo("foobar");
    }

    @Test
    void basePortNumbersReplicasAfterThePrimary() {
        DevDbOptions o = DevDbOptions.builder().replicas(2).basePort(13306).build();
        assertThat(o.primaryPort()).isEqualTo(13306);
        assertThat(o.replicaPort(1)).isEqualTo(13307);
        assertThat(o.replicaPort(2)).isEqualTo(13308);
    }

    @Test
    void badValuesAreRefusedNamingTheField() {
        assertThatThrownBy(() -> DevDbOptions.builder().primaryPort(70000).build())
                .isInstanceOf(DevDbException.class)
                .hasMessage("primaryPort: 70000 is not a TCP port (0 = ephemeral, 1..65535)");
        assertThatThrownBy(() -> DevDbOptions.builder().primaryPort(13306).replicaPort(1, 13306).build())
                .hasMessage("replicaPort[1]: 13306 is already the primary's port");
        assertThatThrownBy(() -> DevDbOptions.builder().replicaPort(2, 13308).build())
                .hasMessage("replicaPort[2]: set, but only 1 replica(s) are asked for");
        assertThatThrownBy(() -> DevDbOptions.builder().replicas(-1).build())
                .hasMessage("replicas: -1 is not in 0..8");
        assertThatThrownBy(() -> DevDbOptions.builder().replicas(9).build())
                .hasMessage("replicas: 9 is not in 0..8");
        assertThatThrownBy(() -> DevDbOptions.builder().bindAddress("db-1").build())
                .hasMessage("bindAddress: \"db-1\" is not an IP address");
        assertThatThrownBy(() -> DevDbOptions.builder().replicaOf("10.0.0.1", 0).build())
                .hasMessage("replicaOf: port 0 is not in 1..65535");
        assertThatThrownBy(() -> DevDbOptions.builder().replicaOf("10.0.0.1", 3306).replicas(2).build())
                .hasMessage("replicas: 2 with replicaOf; it runs exactly one local replica");
        assertThatThrownBy(() -> DevDbOptions.builder().bindAddress("10.0.0.1").engine(Engine.MYSQL_CONTAINER).build())
                .hasMessage("bindAddress: only with embedded MariaDB");
        assertThatThrownBy(() -> DevDbOptions.builder().database("foo-bar").build())
                .hasMessageStartingWith("database: \"foo-bar\" is not a plain identifier");
        assertThatThrownBy(() -> DevDbOptions.builder().password("it's").build())
                .hasMessage("password: must not contain quotes or backslashes");
    }

    @Test
    void aLonePrimaryAndAReplicaOfAnotherDevDbAreValid() {
        DevDbOptions lone = DevDbOptions.builder().replicas(0).bindAddress("10.231.7.31").primaryPort(3306).build();
        assertThat(lone.replicas()).isZero();
        assertThat(lone.bindAddress()).contains("10.231.7.31");
        DevDbOptions replica = DevDbOptions.builder().replicaOf("10.231.7.31", 3306).bindAddress("10.231.7.32").build();
        assertThat(replica.replicaOfHost()).contains("10.231.7.31");
        assertThat(replica.replicaOfPort()).isEqualTo(3306);
        assertThat(replica.replicas()).isEqualTo(1);
    }

    @Test
    void autoHonoursFoobarDbAndRejectsUnknownValues() {
        assertThat(Engine.AUTO.resolve(Map.of("FOOBAR_DB", "mariadb"))).isEqualTo(Engine.EMBEDDED_MARIADB);
        assertThat(Engine.AUTO.resolve(Map.of("FOOBAR_DB", "MySQL"))).isEqualTo(Engine.MYSQL_CONTAINER);
        assertThat(Engine.EMBEDDED_MARIADB.resolve(Map.of("FOOBAR_DB", "mysql"))).isEqualTo(Engine.EMBEDDED_MARIADB);
        assertThatThrownBy(() -> Engine.AUTO.resolve(Map.of("FOOBAR_DB", "postgres")))
                .hasMessage("FOOBAR_DB: \"postgres\" is not one of mysql, mariadb");
    }

    @Test
    void autoPicksMySqlContainersOnlyWhenTheyCanRun() {
        assertThat(Engine.AUTO.resolve(Map.of(), Optional::empty)).isEqualTo(Engine.MYSQL_CONTAINER);
        assertThat(Engine.AUTO.resolve(Map.of(), () -> Optional.of("mysql:8.4 is not in the local Docker engine and cannot be pulled: no registry")))
                .isEqualTo(Engine.EMBEDDED_MARIADB);
        assertThat(Engine.AUTO.resolve(Map.of("FOOBAR_DB", "mysql"), () -> Optional.of("not asked")))
                .isEqualTo(Engine.MYSQL_CONTAINER);
    }

    @Test
    void mainParsesTheStackFlags() {
        DevDbOptions o = DevDbMain.parse(new String[] {
            "--primary-port", "13306", "--replica-port", "13307", "--data-dir", "./data/db", "--engine=mariadb"});
        assertThat(o.primaryPort()).isEqualTo(13306);
        assertThat(o.replicaPort(1)).isEqualTo(13307);
        assertThat(o.replicas()).isEqualTo(1);
        assertThat(o.dataDir()).contains(Path.of("data/db").toAbsolutePath().normalize());
        assertThat(o.engine()).isEqualTo(Engine.EMBEDDED_MARIADB);
        assertThat(DevDbMain.parse(new String[] {"--help"})).isNull();
        assertThatThrownBy(() -> DevDbMain.parse(new String[] {"--primary-port", "x"}))
                .hasMessage("--primary-port: \"x\" is not a number");
        assertThatThrownBy(() -> DevDbMain.parse(new String[] {"--bogus", "1"}))
                .hasMessage("--bogus: unknown option");
    }

    @Test
    void keptDataDirUnderTmpIsShieldedFromMariaDb4jsWipe() {
        String tmp = System.getProperty("java.io.tmpdir");
        Path inTmp = Path.of(tmp, "x", "data");
        assertThat(MariaDbProcess.shieldFromTmpWipe(inTmp).toString()).doesNotStartWith(tmp).endsWith(inTmp.toString());
        Path elsewhere = Path.of("/work/data");
        assertThat(MariaDbProcess.shieldFromTmpWipe(elsewhere)).isEqualTo(elsewhere);
    }
}
