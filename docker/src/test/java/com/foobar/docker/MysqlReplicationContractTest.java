package com.foobar.docker;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The MySQL pair: GTID mode on both nodes, distinct server ids, and init scripts that make the replica follow the
 * primary through its alias with the settings issue 6 asks for. The scripts themselves run only where Docker does.
 */
class MysqlReplicationContractTest {
    private static final ComposeFile COMPOSE = ComposeFile.load(StackFiles.COMPOSE);

    @Test
    void bothNodesRunGtidReplicationWithDistinctServerIds() {
        List<String> primary = command("mysql-primary");
        List<String> replica = command("mysql-replica");
        for (List<String> args : List.of(primary, replica)) {
            assertThat(args).contains("--gtid-mode=ON", "--enforce-gtid-consistency=ON");
            assertThat(args).anyMatch(a -> a.startsWith("--log-bin"));
        }
        assertThat(primary).contains("--server-id=1");
        assertThat(replica).contains("--server-id=2");
    }

    @Test
    void theReplicaFollowsThePrimaryThroughItsAliasOnTheDbNetwork() {
        Map<String, String> replica = COMPOSE.environment("mysql-replica");
        Map<String, String> primary = COMPOSE.environment("mysql-primary");
        assertThat(replica.get("MYSQL_SOURCE_HOST")).isEqualTo("mysql-primary");
        assertThat(COMPOSE.networks("mysql-replica")).containsAnyElementsOf(COMPOSE.networks("mysql-primary"));
        assertThat(replica.get("MYSQL_REPLICATION_USER")).isNotBlank().isEqualTo(primary.get("MYSQL_REPLICATION_USER"));
        assertThat(replica.get("MYSQL_REPLICATION_PASSWORD")).isNotBlank()
                .isEqualTo(primary.get("MYSQL_REPLICATION_PASSWORD"));
    }

    @Test
    void thePrimaryInitScriptCreatesTheReplicationUserAndStartsAFreshGtidHistory() throws Exception {
        String script = initScripts("mysql-primary");
        assertThat(script).contains("GRANT REPLICATION SLAVE ON *.* TO '${MYSQL_REPLICATION_USER}'@'%'")
                .contains("RESET BINARY LOGS AND GTIDS");
    }

    @Test
    void theReplicaInitScriptUsesAutoPositionPublicKeyAndSuperReadOnly() throws Exception {
        String script = initScripts("mysql-replica").replaceAll("\\s+", " ");
        assertThat(script).contains("CHANGE REPLICATION SOURCE TO")
                .contains("SOURCE_HOST = '${MYSQL_SOURCE_HOST}'")
                .contains("SOURCE_AUTO_POSITION = 1")
                .contains("GET_SOURCE_PUBLIC_KEY = 1")
                .contains("SET PERSIST super_read_only = ON")
                .contains("START REPLICA");
    }

    @Test
    void theHealthchecksProbeReplicationNotJustTheProcess() {
        assertThat(COMPOSE.healthcheckCommand("mysql-primary")).endsWith("foobar-healthcheck primary");
        assertThat(COMPOSE.healthcheckCommand("mysql-replica")).endsWith("foobar-healthcheck replica");
        for (String db : List.of("mysql-primary", "mysql-replica")) {
            assertThat(COMPOSE.bindSourceOf(db, "/usr/local/bin/foobar-healthcheck")).isEqualTo("./mysql/healthcheck.sh");
        }
        String check = StackFiles.read(StackFiles.DOCKER.resolve("mysql/healthcheck.sh"));
        assertThat(check).contains("Replica_IO_Running: Yes", "Replica_SQL_Running: Yes", "super_read_only",
                "--protocol=tcp");
    }

    private static List<String> command(String service) {
        List<String> args = new ArrayList<>();
        for (JsonNode a : COMPOSE.service(service).path("command")) {
            args.add(a.asText());
        }
        return args;
    }

    /** The init scripts mounted at /docker-entrypoint-initdb.d, concatenated in the order the entrypoint runs them. */
    private static String initScripts(String service) throws Exception {
        String source = COMPOSE.bindSourceOf(service, "/docker-entrypoint-initdb.d");
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
