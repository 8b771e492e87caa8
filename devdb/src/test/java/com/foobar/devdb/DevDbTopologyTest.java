package com.foobar.devdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Roles a failover tool changed survive a restart on kept data: the promoted replica stays the primary, and a fenced
 * old primary that was not re-attached stays read-only and alone. The role changes are made here over JDBC, as a
 * failover tool makes them.
 */
class DevDbTopologyTest {
    private static final Duration CATCH_UP = Duration.ofSeconds(60);

    @Test
    void promotedReplicaStaysThePrimaryAndTheReattachedOldPrimaryItsReplica(@TempDir Path dir) throws SQLException {
        DevDbOptions options = DevDbOptions.builder().engine(Engine.EMBEDDED_MARIADB).dataDir(dir.resolve("db")).build();
        long before;
        try (DevDb db = DevDb.start(options)) {
            Sql.createTable(db);
            before = Sql.insert(db);
            db.awaitReplicasCaughtUp(CATCH_UP);
            DbNode oldPrimary = db.primary();
            ReplicaNode promoted = db.replicas().get(0);
            promote(db, promoted);
            fence(db, oldPrimary);
            reattach(db, oldPrimary, promoted);
        }

        try (DevDb db = DevDb.start(options)) {
            assertThat(db.primary().name()).isEqualTo("replica-1");
            assertThat(db.replicas()).extracting(DbNode::name).containsExactly("primary");
            assertThat(Sql.visible(db, db.primary(), before)).isTrue();
            long after = Sql.insert(db);
            await().atMost(CATCH_UP).until(() -> Sql.visible(db, db.replicas().get(0), after));
            assertThat(Sql.scalar(db, db.replicas().get(0), "SELECT @@global.read_only")).isEqualTo("1");
        }
    }

    @Test
    void fencedOldPrimaryThatWasNotReattachedStaysReadOnlyAndAlone(@TempDir Path dir) throws SQLException {
        DevDbOptions options = DevDbOptions.builder().engine(Engine.EMBEDDED_MARIADB).dataDir(dir.resolve("db")).build();
        try (ConsoleCapture console = new ConsoleCapture()) {
            try (DevDb db = DevDb.start(options)) {
                Sql.createTable(db);
                db.awaitReplicasCaughtUp(CATCH_UP);
                DbNode oldPrimary = db.primary();
                promote(db, db.replicas().get(0));
                fence(db, oldPrimary);
            }

            try (DevDb db = DevDb.start(options)) {
                assertThat(db.primary().name()).isEqualTo("replica-1");
                DbNode alone = db.replicas().get(0);
                assertThat(Sql.scalar(db, alone, "SELECT @@global.read_only")).isEqualTo("1");
                try (Connection c = admin(alone); Statement s = c.createStatement(); var rs = s.executeQuery("SHOW SLAVE STATUS")) {
                    assertThat(rs.next()).isFalse();
                }
                assertThatThrownBy(() -> Sql.insert(db, alone)).hasMessageContaining("read-only");
                Sql.insert(db);
                assertThat(console.text()).contains("!! primary: was read-only and replicating from nobody when devdb"
                        + " last looked");
            }
        }
    }

    private static void promote(DevDb db, DbNode replica) throws SQLException {
        run(replica, "STOP SLAVE", "RESET SLAVE ALL", "SET GLOBAL read_only = 0");
    }

    private static void fence(DevDb db, DbNode node) throws SQLException {
        run(node, "SET GLOBAL read_only = 1");
    }

    private static void reattach(DevDb db, DbNode node, DbNode to) throws SQLException {
        run(node, "SET GLOBAL gtid_slave_pos = @@gtid_binlog_pos",
                "CHANGE MASTER TO MASTER_HOST = '127.0.0.1', MASTER_PORT = " + to.port() + ", MASTER_USER = '"
                        + db.replicationUser() + "', MASTER_PASSWORD = '" + db.replicationPassword()
                        + "', MASTER_USE_GTID = slave_pos, MASTER_CONNECT_RETRY = 1",
                "START SLAVE");
    }

    private static void run(DbNode node, String... statements) throws SQLException {
        try (Connection c = admin(node); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    private static Connection admin(DbNode node) throws SQLException {
        return ((Node) node).adminConnection();
    }
}
