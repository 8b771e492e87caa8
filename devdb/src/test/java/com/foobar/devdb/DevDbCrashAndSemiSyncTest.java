package com.foobar.devdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A semi-synchronous pair with crash restarts on: the primary waits for the replica's acknowledgement, falls back to
 * asynchronous when the replica is gone, and a server killed with SIGKILL comes back by itself, read-only.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DevDbCrashAndSemiSyncTest {
    private static final Duration CATCH_UP = Duration.ofSeconds(60);
    private static ConsoleCapture console;
    private static DevDb db;
    private static ReplicaNode replica;

    @BeforeAll
    static void start() throws SQLException {
        console = new ConsoleCapture();
        db = DevDb.start(DevDbOptions.builder().engine(Engine.EMBEDDED_MARIADB).semiSync(true).restartCrashed(true)
                .crashRestartDelay(Duration.ofSeconds(1)).build());
        replica = db.replicas().get(0);
        Sql.createTable(db);
    }

    @AfterAll
    static void stop() {
        if (db != null) {
            db.close();
        }
        console.close();
    }

    @Test
    @Order(1)
    void primaryCommitsOnlyWithTheReplicasAcknowledgement() throws SQLException {
        assertThat(Sql.scalar(db, replica, "SELECT @@global.rpl_semi_sync_slave_enabled")).isEqualTo("1");
        await().atMost(CATCH_UP).until(() -> "ON".equals(status(db.primary(), "Rpl_semi_sync_master_status")));
        long acknowledged = Long.parseLong(status(db.primary(), "Rpl_semi_sync_master_yes_tx"));

        long id = Sql.insert(db);

        assertThat(Long.parseLong(status(db.primary(), "Rpl_semi_sync_master_yes_tx"))).isGreaterThan(acknowledged);
        await().atMost(CATCH_UP).until(() -> Sql.visible(db, replica, id));
        assertThat(Sql.scalar(db, db.primary(), "SELECT @@global.rpl_semi_sync_master_wait_point")).isEqualTo("AFTER_SYNC");
        assertThat(Sql.scalar(db, db.primary(), "SELECT @@global.rpl_semi_sync_master_timeout")).isEqualTo("1000");
    }

    @Test
    @Order(2)
    void writesGoOnAsynchronouslyWhileTheReplicaIsDownAndSemiSyncResumesWhenItIsBack() throws SQLException {
        replica.stop();

        long id = Sql.insert(db);

        assertThat(status(db.primary(), "Rpl_semi_sync_master_status")).isEqualTo("OFF");
        replica.start();
        await().atMost(CATCH_UP).until(() -> Sql.visible(db, replica, id));
        Sql.insert(db);
        await().atMost(CATCH_UP).until(() -> "ON".equals(status(db.primary(), "Rpl_semi_sync_master_status")));
    }

    @Test
    @Order(3)
    void killedReplicaIsRestartedAndResumesReplicating() throws SQLException {
        long pid = replica.pid().orElseThrow();

        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        long id = Sql.insert(db);

        await().atMost(CATCH_UP).until(() -> replica.pid().isPresent() && replica.pid().getAsLong() != pid);
        await().atMost(CATCH_UP).until(() -> Sql.visible(db, replica, id));
        assertThat(console.text()).contains("replica-1: mariadbd (pid " + pid + ") on 127.0.0.1:" + replica.port()
                + " died on its own; restarting it in 1s; it comes back read-only");
        assertThat(console.text()).contains("replica-1: mariadbd back on 127.0.0.1:" + replica.port());
    }

    @Test
    @Order(4)
    void killedPrimaryComesBackReadOnlyForAFailoverToolToDecide() throws SQLException {
        DbNode primary = db.primary();
        long pid = primary.pid().orElseThrow();

        ProcessHandle.of(pid).orElseThrow().destroyForcibly();

        await().atMost(CATCH_UP).until(() -> primary.pid().isPresent() && primary.pid().getAsLong() != pid
                && answers(primary));
        assertThat(Sql.scalar(db, primary, "SELECT @@global.read_only")).isEqualTo("1");
        assertThatThrownBy(() -> Sql.insert(db)).isInstanceOf(SQLException.class).hasMessageContaining("read-only");
        assertThat(console.text()).contains("!! primary: mariadbd (pid " + pid + ") on 127.0.0.1:" + primary.port()
                + " died on its own (it was the primary); restarting it in 1s");
    }

    private static boolean answers(DbNode node) {
        try {
            return "1".equals(Sql.scalar(db, node, "SELECT 1"));
        } catch (SQLException e) {
            return false;
        }
    }

    private static String status(DbNode node, String variable) throws SQLException {
        try (Connection c = Sql.connect(db, node); Statement s = c.createStatement();
             var rs = s.executeQuery("SHOW GLOBAL STATUS LIKE '" + variable + "'")) {
            return rs.next() ? rs.getString(2) : null;
        }
    }
}
