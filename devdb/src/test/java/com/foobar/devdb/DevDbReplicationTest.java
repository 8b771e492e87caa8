package com.foobar.devdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A started pair replicates, and its fault injection does what it says. One shared pair for the class. */
class DevDbReplicationTest {
    private static final Duration CATCH_UP = Duration.ofSeconds(60);

    @RegisterExtension
    static final SharedPair PAIR = new SharedPair();

    private DevDb db;
    private ReplicaNode replica;

    @BeforeEach
    void setUp() throws SQLException {
        db = PAIR.db();
        replica = db.replicas().get(0);
        Sql.createTable(db);
    }

    @AfterEach
    void restore() {
        for (DbNode n : db.nodes()) {
            if (!n.isRunning()) {
                n.start();
            }
        }
        replica.setReplicationDelay(Duration.ZERO);
        replica.startSqlThread();
        db.awaitReplicasCaughtUp(CATCH_UP);
    }

    @Test
    void nodesAreNamedOnLoopbackWithDistinctServerIdsMatchingTheServers() throws SQLException {
        assertThat(db.engine()).isEqualTo(Engine.EMBEDDED_MARIADB);
        assertThat(db.primary().name()).isEqualTo("primary");
        assertThat(replica.name()).isEqualTo("replica-1");
        assertThat(db.nodes()).extracting(DbNode::host).containsOnly("127.0.0.1");
        assertThat(db.primary().serverId()).isNotEqualTo(replica.serverId());
        assertThat(Sql.scalar(db, db.primary(), "SELECT @@server_id")).isEqualTo(String.valueOf(db.primary().serverId()));
        assertThat(Sql.scalar(db, replica, "SELECT @@server_id")).isEqualTo(String.valueOf(replica.serverId()));
        assertThat(db.primary().jdbcUrl()).startsWith("jdbc:mysql://127.0.0.1:" + db.primary().port() + "/foobar?");
    }

    @Test
    void theAccountsAreBoundToLoopbackAndAClientFromAnotherAddressIsRefused() throws SQLException {
        // No account of the app, replication or failover users is '%': the no-Docker stack's clients are all on
        // 127.0.0.1, and the accounts say so.
        java.util.List<String> accounts = new java.util.ArrayList<>();
        try (Connection c = java.sql.DriverManager.getConnection(db.primary().jdbcUrl(), MariaDbProcess.ADMIN_USER,
                MariaDbProcess.ADMIN_PASSWORD); Statement s = c.createStatement();
                java.sql.ResultSet r = s.executeQuery("SELECT CONCAT(user, '@', host) FROM mysql.user"
                        + " WHERE user IN ('foobar', 'repl', 'failover') ORDER BY 1")) {
            while (r.next()) {
                accounts.add(r.getString(1));
            }
        }
        assertThat(accounts).containsExactly("failover@127.0.0.1", "foobar@127.0.0.1", "repl@127.0.0.1");
        // The right password from another address of this machine (127.0.0.2, the loopback /8) is refused by the
        // server: it listens there (127.0.0.1), the accounts do not let that address in.
        java.util.Properties from = new java.util.Properties();
        from.setProperty("user", db.user());
        from.setProperty("password", db.password());
        from.setProperty("localSocketAddress", "127.0.0.2");
        assertThatThrownBy(() -> java.sql.DriverManager.getConnection(db.primary().jdbcUrl(), from).close())
                .isInstanceOf(SQLException.class).hasMessageContaining("is not allowed to connect");
    }

    @Test
    void rowWrittenOnPrimaryIsReadBackFromReplica() throws SQLException {
        long id = Sql.insert(db);
        await().atMost(CATCH_UP).until(() -> Sql.visible(db, replica, id));
        assertThat(Sql.scalar(db, replica, "SELECT @@gtid_slave_pos")).isNotEmpty();
    }

    @Test
    void appUserIsNotRootAndCannotWriteOnTheReadOnlyReplica() throws SQLException {
        assertThat(db.user()).isEqualTo("foobar").isNotEqualTo("root");
        assertThat(db.database()).isEqualTo("foobar");
        try (Connection c = Sql.connect(db, replica); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.executeUpdate("INSERT INTO items (id, name) VALUES (-1, 'on replica')"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("read-only");
        }
    }

    @Test
    void stoppedSqlThreadHoldsChangesBackUntilStarted() throws SQLException {
        replica.stopSqlThread();
        long id = Sql.insert(db);
        assertThat(Sql.visible(db, replica, id)).isFalse();
        assertThat(Sql.scalar(db, replica, "SELECT 1")).isEqualTo("1");

        replica.startSqlThread();
        await().atMost(CATCH_UP).until(() -> Sql.visible(db, replica, id));
    }

    @Test
    void replicationDelayHoldsChangesBackUntilRemoved() throws SQLException {
        replica.setReplicationDelay(Duration.ofSeconds(30));
        long id = Sql.insert(db);
        assertThat(Sql.visible(db, replica, id)).isFalse();

        replica.setReplicationDelay(Duration.ZERO);
        await().atMost(CATCH_UP).until(() -> Sql.visible(db, replica, id));
    }

    @Test
    void stoppedReplicaRefusesConnectionsThenRestartsAndCatchesUp() throws SQLException {
        replica.stop();
        assertThat(replica.isRunning()).isFalse();
        assertThatThrownBy(() -> Sql.connect(db, replica).close()).isInstanceOf(SQLException.class);
        long id = Sql.insert(db);

        replica.start();
        assertThat(replica.isRunning()).isTrue();
        await().atMost(CATCH_UP).until(() -> Sql.visible(db, replica, id));
    }

    @Test
    void stoppedPrimaryRestartsAndReplicationResumesByItself() throws SQLException {
        db.primary().stop();
        assertThat(db.primary().isRunning()).isFalse();
        assertThatThrownBy(() -> Sql.insert(db)).isInstanceOf(SQLException.class);

        db.primary().start();
        long id = Sql.insert(db);
        await().atMost(CATCH_UP).until(() -> Sql.visible(db, replica, id));
    }

    @Test
    void faultInjectionOnThePrimaryIsRefusedWithAClearMessage() {
        ReplicaNode primaryAsReplica = (ReplicaNode) db.primary();
        assertThatThrownBy(primaryAsReplica::stopSqlThread)
                .isInstanceOf(DevDbException.class)
                .hasMessage("primary: stopSqlThread applies to replicas only");
    }
}
