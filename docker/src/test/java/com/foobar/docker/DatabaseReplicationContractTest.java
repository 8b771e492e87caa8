package com.foobar.docker;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The database pair in both flavours (FOOBAR_DB_FLAVOR mysql, the default, and mariadb): GTID replication with
 * distinct server ids, init scripts that make the replica follow the primary through its alias, a read-only replica,
 * and a healthcheck that probes replication. The scripts run for real in ComposeStackTest (MariaDB here, MySQL 8.4
 * where Docker Hub is reachable); these checks hold both flavours to the same shape on every machine.
 */
class DatabaseReplicationContractTest {
    private static final ComposeFile MYSQL = ComposeFile.load(StackFiles.COMPOSE);
    private static final ComposeFile MARIADB = ComposeFile.load(StackFiles.COMPOSE, Map.of("FOOBAR_DB_FLAVOR", "mariadb"));

    @Test
    void mysqlNodesRunGtidModeWithDistinctServerIds() {
        List<String> primary = command(MYSQL, "mysql-primary");
        List<String> replica = command(MYSQL, "mysql-replica");
        for (List<String> args : List.of(primary, replica)) {
            assertThat(args).contains("--gtid-mode=ON", "--enforce-gtid-consistency=ON");
            assertThat(args).anyMatch(a -> a.startsWith("--log-bin"));
        }
        assertThat(primary).contains("--server-id=1");
        assertThat(replica).contains("--server-id=2");
    }

    @Test
    void mariadbNodesRunStrictGtidWithDistinctServerIdsAndAReadOnlyReplica() {
        List<String> primary = command(MARIADB, "mysql-primary");
        List<String> replica = command(MARIADB, "mysql-replica");
        for (List<String> args : List.of(primary, replica)) {
            assertThat(args).contains("--gtid-strict-mode=ON", "--binlog-format=ROW", "--log-slave-updates=ON");
            assertThat(args).anyMatch(a -> a.startsWith("--log-bin"));
            // MySQL-only options would stop mariadbd at start.
            assertThat(args).noneMatch(a -> a.startsWith("--gtid-mode") || a.startsWith("--enforce-gtid"));
        }
        assertThat(primary).contains("--server-id=1").doesNotContain("--read-only=ON");
        assertThat(replica).contains("--server-id=2", "--read-only=ON");
    }

    @ParameterizedTest
    @ValueSource(strings = {"mysql", "mariadb"})
    void theReplicaFollowsThePrimaryThroughItsAliasOnTheDbNetwork(String flavor) {
        ComposeFile compose = ComposeFile.load(StackFiles.COMPOSE, Map.of("FOOBAR_DB_FLAVOR", flavor));
        Map<String, String> replica = compose.environment("mysql-replica");
        Map<String, String> primary = compose.environment("mysql-primary");
        assertThat(replica.get("MYSQL_SOURCE_HOST")).isEqualTo("mysql-primary");
        assertThat(compose.networks("mysql-replica")).containsAnyElementsOf(compose.networks("mysql-primary"));
        assertThat(replica.get("MYSQL_REPLICATION_USER")).isNotBlank().isEqualTo(primary.get("MYSQL_REPLICATION_USER"));
        assertThat(replica.get("MYSQL_REPLICATION_PASSWORD")).isNotBlank()
                .isEqualTo(primary.get("MYSQL_REPLICATION_PASSWORD"));
        // The data volume stays compose.yaml's whatever the flavour; both images keep their data there.
        assertThat(compose.volumes("mysql-replica")).contains("mysql-replica-data:/var/lib/mysql");
        assertThat(compose.volumes("mysql-primary")).contains("mysql-primary-data:/var/lib/mysql");
    }

    @Test
    void mysqlInitScriptsCreateTheReplicationUserAndFollowByAutoPositionIntoSuperReadOnly() throws Exception {
        assertThat(initScripts(MYSQL, "mysql-primary"))
                .contains("GRANT REPLICATION SLAVE ON *.* TO '${MYSQL_REPLICATION_USER}'@'%'")
                .contains("RESET BINARY LOGS AND GTIDS");
        assertThat(initScripts(MYSQL, "mysql-replica").replaceAll("\\s+", " ")).contains("CHANGE REPLICATION SOURCE TO")
                .contains("SOURCE_HOST = '${MYSQL_SOURCE_HOST}'")
                .contains("SOURCE_AUTO_POSITION = 1")
                .contains("GET_SOURCE_PUBLIC_KEY = 1")
                .contains("SET PERSIST super_read_only = ON")
                .contains("START REPLICA");
    }

    @Test
    void mariadbInitScriptsCreateTheReplicationUserAndFollowByGtid() throws Exception {
        assertThat(initScripts(MARIADB, "mysql-primary"))
                .contains("GRANT REPLICATION SLAVE ON *.* TO '${MYSQL_REPLICATION_USER}'@'%'")
                // What the db-router's monitor reads with the app's user (SHOW SLAVE STATUS, gtid_binlog_pos).
                .contains("GRANT SLAVE MONITOR, BINLOG MONITOR ON *.* TO '${MYSQL_USER}'@'%'")
                .contains("RESET MASTER");
        assertThat(initScripts(MARIADB, "mysql-replica").replaceAll("\\s+", " ")).contains("CHANGE MASTER TO")
                .contains("MASTER_HOST = '${MYSQL_SOURCE_HOST}'")
                .contains("MASTER_USE_GTID = slave_pos")
                .contains("SET GLOBAL gtid_slave_pos = ''")
                .contains("GRANT SLAVE MONITOR, BINLOG MONITOR ON *.* TO '${MYSQL_USER}'@'%'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"mysql", "mariadb"})
    void theHealthchecksProbeReplicationNotJustTheProcess(String flavor) {
        ComposeFile compose = ComposeFile.load(StackFiles.COMPOSE, Map.of("FOOBAR_DB_FLAVOR", flavor));
        assertThat(compose.healthcheckCommand("mysql-primary")).endsWith("foobar-healthcheck primary");
        assertThat(compose.healthcheckCommand("mysql-replica")).endsWith("foobar-healthcheck replica");
        for (String db : List.of("mysql-primary", "mysql-replica")) {
            assertThat(compose.bindSourceOf(db, "/usr/local/bin/foobar-healthcheck")).isEqualTo("./db/healthcheck.sh");
        }
    }

    @Test
    void theHealthcheckReadsReplicaStatusWithItsColumnNames() {
        String check = StackFiles.read(StackFiles.DOCKER.resolve("db/healthcheck.sh"));
        assertThat(check).contains("Replica_IO_Running", "Replica_SQL_Running", "super_read_only",
                "Slave_IO_Running", "Slave_SQL_Running", "read_only", "--protocol=tcp");
        // The defect the first real run found: with --skip-column-names the \G output has no "Name: value" lines, so
        // no "Replica_IO_Running: Yes" ever matched and the replica never became healthy.
        for (String line : check.lines().filter(l -> l.contains("\\G") && !l.strip().startsWith("#")).toList()) {
            // q is the script's query helper that adds --skip-column-names.
            assertThat(line).as("a vertical status query").doesNotContain("skip-column-names")
                    .doesNotContainPattern("(?<![A-Za-z_])q '");
        }
    }

    private static List<String> command(ComposeFile compose, String service) {
        List<String> args = new ArrayList<>();
        for (JsonNode a : compose.service(service).path("command")) {
            args.add(a.asText());
        }
        return args;
    }

    /** The init scripts mounted at /docker-entrypoint-initdb.d, concatenated in the order the entrypoint runs them. */
    private static String initScripts(ComposeFile compose, String service) throws Exception {
        String source = compose.bindSourceOf(service, "/docker-entrypoint-initdb.d");
        assertThat(source).as("%s mounts init scripts", service).isNotNull();
        Path dir = StackFiles.fromCompose(source);
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> sorted = files.sorted().toList();
            assertThat(sorted).as("init scripts of %s", service).isNotEmpty();
            for (Path f : sorted) {
                assertThat(f.getFileName().toString()).as("the entrypoint runs .sh and .sql only").matches(".*\\.(sh|sql)");
                all.append(Files.readString(f)).append('\n');
            }
        }
        return all.toString();
    }
}
