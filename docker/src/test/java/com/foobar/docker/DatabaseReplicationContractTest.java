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
 * distinct server ids, every node read-only at start with semi-sync on both sides, one init script per flavour (the
 * same accounts on every node; a node given a source follows it), a healthcheck that probes replication on whichever
 * node replicates, and the failover decider that watches both nodes with the accounts the scripts create. The scripts run for real in ComposeStackTest (MariaDB here, MySQL 8.4
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
            assertThat(args).contains("--gtid-mode=ON", "--enforce-gtid-consistency=ON", "--log-replica-updates=ON");
            assertThat(args).anyMatch(a -> a.startsWith("--log-bin"));
            // Every node starts read-only and semi-sync ready on both sides: roles move (db-failover).
            assertThat(args).contains("--read-only=ON", "--plugin-load-add=semisync_source.so",
                    "--plugin-load-add=semisync_replica.so", "--rpl-semi-sync-source-enabled=ON",
                    "--rpl-semi-sync-replica-enabled=ON", "--rpl-semi-sync-source-wait-point=AFTER_SYNC",
                    "--rpl-semi-sync-source-timeout=1000", "--replica-net-timeout=4");
            // super_read_only on the command line would stop the entrypoint's init (it writes as root).
            assertThat(args).noneMatch(a -> a.startsWith("--super-read-only"));
        }
        assertThat(primary).contains("--server-id=1");
        assertThat(replica).contains("--server-id=2");
        assertThat(without(primary, "--server-id=1")).as("the nodes differ only in their id")
                .isEqualTo(without(replica, "--server-id=2"));
    }

    @Test
    void mariadbNodesRunStrictGtidWithDistinctServerIdsAllReadOnlyWithSemiSync() {
        List<String> primary = command(MARIADB, "mysql-primary");
        List<String> replica = command(MARIADB, "mysql-replica");
        for (List<String> args : List.of(primary, replica)) {
            assertThat(args).contains("--gtid-strict-mode=ON", "--binlog-format=ROW", "--log-slave-updates=ON");
            assertThat(args).anyMatch(a -> a.startsWith("--log-bin"));
            // MySQL-only options would stop mariadbd at start.
            assertThat(args).noneMatch(a -> a.startsWith("--gtid-mode") || a.startsWith("--enforce-gtid"));
            assertThat(args).contains("--read-only=ON", "--rpl-semi-sync-master-enabled=ON",
                    "--rpl-semi-sync-slave-enabled=ON", "--rpl-semi-sync-master-wait-point=AFTER_SYNC",
                    "--rpl-semi-sync-master-timeout=1000", "--slave-net-timeout=4");
        }
        assertThat(primary).contains("--server-id=1");
        assertThat(replica).contains("--server-id=2");
        assertThat(without(primary, "--server-id=1")).as("the nodes differ only in their id")
                .isEqualTo(without(replica, "--server-id=2"));
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
    void mysqlInitScriptsBindEveryAccountToItsClientsAndFollowByAutoPositionIntoSuperReadOnly() throws Exception {
        assertThat(initScripts(MYSQL, "mysql-primary")).as("one script for both nodes")
                .isEqualTo(initScripts(MYSQL, "mysql-replica"));
        String primary = initSql(MYSQL, "mysql-primary");
        assertThat(primary)
                .contains("GRANT REPLICATION SLAVE ON *.* TO 'repl'@'10.213.5.10';")
                .contains("GRANT REPLICATION SLAVE ON *.* TO 'repl'@'10.213.5.11';")
                .contains("GRANT SYSTEM_VARIABLES_ADMIN, REPLICATION_SLAVE_ADMIN, REPLICATION CLIENT, REPLICATION SLAVE,"
                        + " PROCESS, RELOAD, CONNECTION_ADMIN ON *.* TO 'failover'@'10.213.5.30';")
                .contains("GRANT SELECT ON performance_schema.* TO 'failover'@'10.213.5.30';")
                .contains("GRANT REPLICATION CLIENT ON *.* TO 'foobar'@'10.213.5.20';")
                .contains("GRANT PROCESS, REPLICATION CLIENT ON *.* TO 'exporter'@'10.213.5.42';")
                .contains("RESET BINARY LOGS AND GTIDS;")
                .doesNotContain("CHANGE REPLICATION SOURCE");
        assertAccountsBoundToTheirClients(primary);
        assertThat(initSql(MYSQL, "mysql-replica")).contains("CHANGE REPLICATION SOURCE TO")
                .contains("SOURCE_HOST = 'mysql-primary'")
                .contains("SOURCE_AUTO_POSITION = 1")
                .contains("GET_SOURCE_PUBLIC_KEY = 1")
                .contains("SET PERSIST super_read_only = ON")
                .contains("START REPLICA");
    }

    @Test
    void mariadbInitScriptsBindEveryAccountToItsClientsAndFollowByGtid() throws Exception {
        assertThat(initScripts(MARIADB, "mysql-primary")).as("one script for both nodes")
                .isEqualTo(initScripts(MARIADB, "mysql-replica"));
        String primary = initSql(MARIADB, "mysql-primary");
        assertThat(primary)
                .contains("GRANT REPLICATION SLAVE ON *.* TO 'repl'@'10.213.5.10';")
                .contains("GRANT SUPER, READ_ONLY ADMIN, REPLICATION SLAVE ADMIN, REPLICATION MASTER ADMIN, BINLOG ADMIN,"
                        + " BINLOG MONITOR, SLAVE MONITOR, REPLICATION SLAVE, PROCESS, RELOAD, CONNECTION ADMIN ON *.*"
                        + " TO 'failover'@'10.213.5.30';")
                // What the db-router's monitor reads with the app's user (SHOW SLAVE STATUS, gtid_binlog_pos).
                .contains("GRANT SLAVE MONITOR, BINLOG MONITOR ON *.* TO 'foobar'@'10.213.5.21';")
                .contains("GRANT PROCESS, SLAVE MONITOR, BINLOG MONITOR ON *.* TO 'exporter'@'10.213.5.41';")
                .contains("RESET MASTER;")
                .doesNotContain("CHANGE MASTER");
        assertAccountsBoundToTheirClients(primary);
        assertThat(initSql(MARIADB, "mysql-replica")).contains("CHANGE MASTER TO")
                .contains("MASTER_HOST = 'mysql-primary'")
                .contains("MASTER_USE_GTID = slave_pos")
                .contains("SET GLOBAL gtid_slave_pos = ''");
    }

    /**
     * The third firewall, by account: the shop's user is taken from '%' to web-1's and web-2's addresses on db (and
     * the node's loopback, for its healthcheck); every other account names its clients' addresses, none is '%'.
     */
    private static void assertAccountsBoundToTheirClients(String sql) {
        assertThat(sql).contains("DROP USER IF EXISTS 'foobar'@'%';");
        List<String> created = sql.lines().filter(l -> l.startsWith("CREATE USER"))
                .map(l -> l.replaceAll(" IDENTIFIED BY .*", "").substring("CREATE USER ".length())).toList();
        assertThat(created).containsExactlyInAnyOrder("'foobar'@'10.213.5.20'", "'foobar'@'10.213.5.21'",
                "'foobar'@'127.0.0.1'", "'repl'@'10.213.5.10'", "'repl'@'10.213.5.11'", "'failover'@'10.213.5.30'",
                "'exporter'@'10.213.5.41'", "'exporter'@'10.213.5.42'");
        assertThat(sql.lines().filter(l -> l.startsWith("GRANT"))).noneMatch(l -> l.contains("@'%'"));
    }

    /**
     * What a node's init scripts send to its server on the first start, with the node's environment from compose:
     * each script sourced by bash as the image's entrypoint does, with the entrypoint's two functions the scripts use
     * standing in (docker_process_sql prints the SQL it is given, mysql_note is silent).
     */
    private static String initSql(ComposeFile compose, String service) throws Exception {
        Path dir = StackFiles.fromCompose(compose.bindSourceOf(service, "/docker-entrypoint-initdb.d"));
        StringBuilder script = new StringBuilder("set -eu\nmysql_note() { :; }\n"
                + "docker_process_sql() { cat; echo; }\n");
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                script.append(". '").append(f.toAbsolutePath()).append("'\n");
            }
        }
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", script.toString()).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().put("PATH", System.getenv("PATH"));
        pb.environment().putAll(compose.environment(service));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("the init scripts of %s: %s", service, out).isZero();
        // The scripts' here-documents indent their statements.
        return out.lines().map(String::strip).collect(java.util.stream.Collectors.joining("\n"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"mysql", "mariadb"})
    void theHealthchecksProbeReplicationNotJustTheProcess(String flavor) {
        ComposeFile compose = ComposeFile.load(StackFiles.COMPOSE, Map.of("FOOBAR_DB_FLAVOR", flavor));
        // `node`: the replica checks for whichever node has replica status (roles move with a failover).
        assertThat(compose.healthcheckCommand("mysql-primary")).endsWith("foobar-healthcheck node");
        assertThat(compose.healthcheckCommand("mysql-replica")).endsWith("foobar-healthcheck node");
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

    @ParameterizedTest
    @ValueSource(strings = {"mysql", "mariadb"})
    void theFailoverDeciderWatchesBothNodesWithTheAccountsTheInitScriptsCreate(String flavor) {
        ComposeFile compose = ComposeFile.load(StackFiles.COMPOSE, Map.of("FOOBAR_DB_FLAVOR", flavor));
        Map<String, String> decider = compose.environment("db-failover");
        assertThat(decider.get("FOOBAR_FAILOVER_NODES"))
                .isEqualTo("mysql-primary=mysql-primary:3306,mysql-replica=mysql-replica:3306");
        for (String db : List.of("mysql-primary", "mysql-replica")) {
            Map<String, String> node = compose.environment(db);
            assertThat(decider.get("FOOBAR_FAILOVER_USER")).isNotBlank().isEqualTo(node.get("MYSQL_FAILOVER_USER"));
            assertThat(decider.get("FOOBAR_FAILOVER_PASSWORD")).isNotBlank().isEqualTo(node.get("MYSQL_FAILOVER_PASSWORD"));
            assertThat(decider.get("FOOBAR_FAILOVER_REPLICATION_USER")).isEqualTo(node.get("MYSQL_REPLICATION_USER"));
            assertThat(decider.get("FOOBAR_FAILOVER_REPLICATION_PASSWORD"))
                    .isEqualTo(node.get("MYSQL_REPLICATION_PASSWORD"));
            assertThat(compose.dependsOn("db-failover")).containsEntry(db, "service_healthy");
        }
        // Every node starts read-only: without this, nobody would make the first primary writable.
        assertThat(decider.get("FOOBAR_FAILOVER_ENFORCE_WRITABLE_PRIMARY")).isEqualTo("true");
        assertThat(compose.networks("db-failover")).contains("db");
        // The web servers' migrations need a writer: they start once the decider sees one.
        for (String web : List.of("web-1", "web-2")) {
            assertThat(compose.dependsOn(web)).containsEntry("db-failover", "service_healthy");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mysql", "mariadb"})
    void everyClientOfTheNodesFindsThemInEtcHostsAtTheirFixedAddresses(String flavor) {
        // Docker drops a stopped container's name from its DNS, and on the internal db network a name it does not
        // know hangs 20 s: after `docker kill mysql-primary` the replica's I/O thread, db-failover and the web
        // servers' connects sat in that lookup, and the promotion came 15-30 s after the kill instead of about 8.
        ComposeFile compose = ComposeFile.load(StackFiles.COMPOSE, Map.of("FOOBAR_DB_FLAVOR", flavor,
                "FOOBAR_DB_NET", "10.99.5"));
        Map<String, String> fixed = Map.of("mysql-primary", "10.99.5.10", "mysql-replica", "10.99.5.11");
        for (Map.Entry<String, String> node : fixed.entrySet()) {
            assertThat(compose.service(node.getKey()).path("networks").path("db").path("ipv4_address").asText())
                    .as("%s's address on db", node.getKey()).isEqualTo(node.getValue());
        }
        for (String client : List.of("web-1", "web-2", "db-failover", "mysql-primary", "mysql-replica")) {
            List<String> hosts = new ArrayList<>();
            compose.service(client).path("extra_hosts").forEach(h -> hosts.add(h.asText()));
            assertThat(hosts).as("extra_hosts of %s", client)
                    .contains("mysql-primary:10.99.5.10", "mysql-replica:10.99.5.11");
        }
    }

    private static List<String> without(List<String> args, String arg) {
        List<String> out = new ArrayList<>(args);
        out.remove(arg);
        return out;
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
