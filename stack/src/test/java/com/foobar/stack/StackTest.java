package com.foobar.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class StackTest {

    @Test
    void theStartupTableLinesUpItsColumns() {
        List<String> lines = Stack.Table.render(List.of(
                new String[] {"component", "address", "pid"},
                new String[] {"web-1", "http://127.0.0.1:8081", "4242"},
                new String[] {"db-replica-1", "127.0.0.1:13307", "17"}));

        assertThat(lines).containsExactly(
                "component     address                pid",
                "web-1         http://127.0.0.1:8081  4242",
                "db-replica-1  127.0.0.1:13307        17");
    }

    @Test
    void aDatabaseServerIsFoundAmongProcessesByItsPortArgument() throws Exception {
        // sh stays in front of sleep (two commands), holding the arguments a database server would have.
        Process fake = new ProcessBuilder("sh", "-c", "sleep 30; true", "mariadbd", "--port=13307").start();
        try {
            assertThat(Stack.pidListeningOn(List.of(ProcessHandle.current(), fake.toHandle()), 13307))
                    .isEqualTo(Long.toString(fake.pid()));
            assertThat(Stack.pidListeningOn(List.of(fake.toHandle()), 13306)).isEqualTo("-");
        } finally {
            fake.destroyForcibly();
            fake.waitFor();
        }
    }

    @Test
    void dbFailoversDecisionsAreToldAndItsOtherLinesAreNot() {
        assertThat(Stack.failoverEvent("2026-12-05T14:15:19.604755853Z promoted replica-1: is the primary now"))
                .contains("   db-failover: promoted replica-1: is the primary now");
        assertThat(Stack.failoverEvent("2026-12-05T14:15:19Z !! errant-refused primary: it has 3 transaction(s)"))
                .contains("   db-failover: !! errant-refused primary: it has 3 transaction(s)");
        assertThat(Stack.failoverEvent("db-failover: status on http://127.0.0.1:9095/api/status")).isEmpty();
        // What it logs is not a decision: an error among it is told as any component's is.
        String logged = logged("com.foobar.dbfailover.decision.Decider", java.util.logging.Level.SEVERE,
                "probe failed", new IllegalStateException("boom"));
        assertThat(Stack.failoverEvent(logged)).isEmpty();
        assertThat(Stack.loggedError("db-failover", logged, any -> true))
                .contains("!! db-failover: Decider: probe failed: java.lang.IllegalStateException: boom");
    }

    @Test
    void aDatabaseServerThatDiesIsToldAtOnceUnderItsNameInTheTable() {
        // devdb's own lines, as a stack run's data/logs/devdb.log has them.
        assertThat(Stack.databaseEvent("[devdb] !! replica-1: mariadbd (pid 15498) on 127.0.0.1:23307 died on its own;"
                + " restarting it in 10s; it comes back read-only"))
                .contains("!! db-replica-1 (pid 15498) exited on its own. devdb: restarting it in 10s; it comes back"
                        + " read-only");
        assertThat(Stack.databaseEvent("[devdb] !! primary: mariadbd (pid 17967) on 127.0.0.1:23306 died on its own"
                + " (it was the primary); restarting it in 10s; it comes back read-only"))
                .contains("!! db-primary (pid 17967) exited on its own (it was the primary). devdb: restarting it in"
                        + " 10s; it comes back read-only");
        assertThat(Stack.databaseEvent("[devdb] replica-1: mariadbd back on 127.0.0.1:23307 (pid 15871, restart 1, up"
                + " in 0.4s), read-only until a failover tool or you decide otherwise"))
                .contains("   db-replica-1 is back: pid 15871 (restart 1, up in 0.4s), read-only until a failover tool"
                        + " or you decide otherwise");
        assertThat(Stack.databaseEvent("[devdb] !! replica-1: restart failed: port in use; next try in 20s"))
                .contains("!! devdb: replica-1: restart failed: port in use; next try in 20s");
        assertThat(Stack.databaseEvent("[devdb] replica-1: replication verified (row written on primary read back)"))
                .isEmpty();
        assertThat(Stack.databaseEvent("2026-12-06 21:08:01 0 [Note] mariadbd: ready for connections.")).isEmpty();
    }

    @Test
    void withoutCrashRestartsADatabaseServerThatDiesIsSaidToStayDown() throws Exception {
        assertThat(Stack.databaseEvent("[devdb] !! replica-1: mariadbd (pid 15498) on 127.0.0.1:23307 died on its own;"
                + " not restarted (restart of crashed servers is off); started again, it comes back read-only"))
                .contains("!! db-replica-1 (pid 15498) exited on its own. It stays down: crash restarts are off"
                        + " (--no-restart).");
        assertThat(Stack.dbFlags(StackOptions.parse("--no-restart"))).containsExactly("--semi-sync");
        assertThat(Stack.dbFlags(StackOptions.parse("--no-restart", "--no-semi-sync"))).isEmpty();
        assertThat(Stack.dbFlags(StackOptions.parse())).containsExactly("--semi-sync", "--restart-crashed");
    }

    /** The first line of a record as a component's logging writes it. */
    private static String logged(String logger, java.util.logging.Level level, String message, Throwable thrown) {
        java.util.logging.LogRecord record = new java.util.logging.LogRecord(level, message);
        record.setLoggerName(logger);
        record.setThrown(thrown);
        return new com.foobar.logging.OneLineFormatter().format(record).lines().findFirst().orElseThrow();
    }

    @Test
    void aComponentsLoggedErrorIsOneLineOnTheConsoleAndNothingElseItLogsIs() {
        String error = logged("com.foobar.webapp.web.Endpoint", java.util.logging.Level.SEVERE,
                "POST /api/orders failed", new IllegalStateException("no usable node"));

        assertThat(Stack.loggedError("web-1", error, any -> true)).contains(
                "!! web-1: Endpoint: POST /api/orders failed: java.lang.IllegalStateException: no usable node");
        assertThat(Stack.loggedError("web-1", logged("com.foobar.webapp.access", java.util.logging.Level.INFO,
                "127.0.0.1 \"GET / HTTP/1.1\" 200", null), any -> true)).isEmpty();
        assertThat(Stack.loggedError("web-1", "\tat com.foobar.webapp.web.Endpoint.service(Endpoint.java:122)",
                any -> true)).isEmpty();
    }

    @Test
    void mariadbdsOwnErrorLinesStayInDevdbsLogAndDevdbsOwnErrorsAreTold() {
        String mariadbd = logged("ch.vorburger.exec.ManagedProcess", java.util.logging.Level.SEVERE,
                "mariadbd: 2026-12-06 21:48:05 6 [ERROR] Error reading packet from server: Lost connection", null);
        String devdb = logged("com.foobar.devdb.Supervision", java.util.logging.Level.SEVERE, "restart failed",
                new IllegalStateException("boom"));

        assertThat(Stack.loggedError("devdb", mariadbd, Stack::toldByDevDb)).isEmpty();
        assertThat(Stack.loggedError("devdb", devdb, Stack::toldByDevDb))
                .contains("!! devdb: Supervision: restart failed: java.lang.IllegalStateException: boom");
    }

    @Test
    void dbFailoverIsConfiguredWithEveryDatabaseNodeAndNoPassword() throws Exception {
        com.foobar.stack.db.DatabaseEndpoints endpoints = new com.foobar.stack.db.DatabaseEndpoints(
                new com.foobar.stack.db.DatabaseEndpoints.Node("primary", 13306, "jdbc:mysql://127.0.0.1:13306/foobar"),
                List.of(new com.foobar.stack.db.DatabaseEndpoints.Node("replica-1", 13307, "jdbc:mysql://127.0.0.1:13307/foobar")),
                "foobar", "app-secret", new com.foobar.stack.db.DatabaseEndpoints.Account("devdb_failover", "fo-secret"),
                new com.foobar.stack.db.DatabaseEndpoints.Account("repl", "repl-secret"));
        String yaml = Stack.failoverConfig(endpoints, "127.0.0.1:9095");
        assertThat(yaml).doesNotContain("secret");
        com.foobar.dbfailover.config.FailoverConfig config = com.foobar.dbfailover.config.ConfigLoader.load(
                java.util.Optional.empty(), java.util.Map.of("FOOBAR_FAILOVER_CONFIG", writeTemp(yaml),
                        "FOOBAR_FAILOVER_PASSWORD", "fo-secret", "FOOBAR_FAILOVER_REPLICATION_PASSWORD", "repl-secret"));
        assertThat(config.nodes()).extracting(n -> n.name() + "=" + n.address())
                .containsExactly("primary=127.0.0.1:13306", "replica-1=127.0.0.1:13307");
        assertThat(config.user()).isEqualTo("devdb_failover");
        assertThat(config.replicationUser()).isEqualTo("repl");
        assertThat(config.statusPort()).isEqualTo(9095);
    }

    private static String writeTemp(String text) throws java.io.IOException {
        java.nio.file.Path file = java.nio.file.Files.createTempFile("db-failover", ".yml");
        file.toFile().deleteOnExit();
        java.nio.file.Files.writeString(file, text);
        return file.toString();
    }

    @Test
    void ipv6AddressesAreBracketedNextToTheirPort() {
        assertThat(Stack.hostPort("127.0.0.1", 8080)).isEqualTo("127.0.0.1:8080");
        assertThat(Stack.hostPort("::1", 8080)).isEqualTo("[::1]:8080");
    }
}
