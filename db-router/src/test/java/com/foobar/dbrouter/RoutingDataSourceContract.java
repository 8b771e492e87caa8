package com.foobar.dbrouter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.foobar.devdb.DbNode;
import com.foobar.devdb.DevDb;
import com.foobar.devdb.ReplicaNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The router's behaviour against a real replicated pair. Written once; subclasses say which engine runs it
 * (embedded MariaDB here and in CI, MySQL 8.4 containers where Docker exists).
 */
abstract class RoutingDataSourceContract {
    private static final AtomicLong IDS = new AtomicLong(System.nanoTime() % 1_000_000_000L);
    private static final Duration RECOVERY = Duration.ofSeconds(60);

    private final List<RoutingDataSource> routers = new ArrayList<>();
    protected SimpleMeterRegistry registry;

    /** The shared pair for this engine. */
    protected abstract DevDb db();

    @BeforeEach
    void createTable() throws SQLException {
        registry = new SimpleMeterRegistry();
        try (Connection c = DriverManager.getConnection(db().primary().jdbcUrl(), db().user(), db().password());
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS ryw (id BIGINT PRIMARY KEY, v VARCHAR(64) NOT NULL)");
        }
        db().awaitReplicasCaughtUp(RECOVERY);
    }

    /** Every test leaves the pair as it found it: all nodes up, no delay, replicas caught up. */
    @AfterEach
    void restorePair() {
        routers.forEach(RoutingDataSource::close);
        routers.clear();
        for (DbNode n : db().nodes()) {
            if (!n.isRunning()) {
                n.start();
            }
        }
        for (ReplicaNode r : db().replicas()) {
            r.setReplicationDelay(Duration.ZERO);
            r.startSqlThread();
        }
        db().awaitReplicasCaughtUp(RECOVERY);
    }

    protected RouterConfig.Builder config() {
        List<String> replicaUrls = new ArrayList<>();
        for (ReplicaNode r : db().replicas()) {
            replicaUrls.add(r.jdbcUrl());
        }
        return RouterConfig.builder()
                .primaryUrl(db().primary().jdbcUrl())
                .replicaUrls(replicaUrls)
                .username(db().user())
                .password(db().password())
                .monitorInterval(Duration.ofMillis(100));
    }

    protected RoutingDataSource router(RouterConfig config) {
        RoutingDataSource r = new RoutingDataSource(config, registry);
        routers.add(r);
        return r;
    }

    private int primaryId() {
        return db().primary().serverId();
    }

    private int replicaId() {
        return db().replicas().get(0).serverId();
    }

    private static int serverId(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT @@server_id")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static long insert(Connection c) throws SQLException {
        long id = IDS.incrementAndGet();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO ryw (id, v) VALUES (?, ?)")) {
            ps.setLong(1, id);
            ps.setString(2, "v" + id);
            ps.executeUpdate();
        }
        return id;
    }

    private static boolean visible(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT v FROM ryw WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private double count(String name, String... tags) {
        return registry.find(name).tags(tags).counters().stream().mapToDouble(c -> c.count()).sum();
    }

    // ---------------------------------------------------------------- routing

    @Test
    void routesReadsToReplicaAndWritesToPrimaryProvenByServerId() throws SQLException {
        RoutingDataSource router = router(config().build());

        assertThat(router.read(RoutingDataSourceContract::serverId)).isEqualTo(replicaId());
        assertThat(router.write(RoutingDataSourceContract::serverId).value()).isEqualTo(primaryId());
        assertThat(router.read(RoutingDataSource::nodeOf)).isEqualTo("replica-1");
        assertThat(router.write(RoutingDataSource::nodeOf).value()).isEqualTo("primary");
    }

    @Test
    void dataSourceConnectionRoutesByReadOnlyFlag() throws SQLException {
        RoutingDataSource router = router(config().build());
        try (Connection c = router.getConnection()) {
            assertThat(serverId(c)).isEqualTo(primaryId());
            assertThat(RoutingDataSource.nodeOf(c)).isEqualTo("primary");

            c.setReadOnly(true);
            assertThat(serverId(c)).isEqualTo(replicaId());
            assertThat(RoutingDataSource.nodeOf(c)).isEqualTo("replica-1");

            c.setReadOnly(false);
            assertThat(serverId(c)).isEqualTo(primaryId());
        }
    }

    @Test
    void readOnlyTransactionRunsOnReplicaAndReadWriteTransactionEntirelyOnPrimary() throws SQLException {
        RoutingDataSource router = router(config().build());
        try (Connection c = router.getConnection()) {
            c.setReadOnly(true);
            c.setAutoCommit(false);
            assertThat(serverId(c)).isEqualTo(replicaId());
            assertThat(serverId(c)).isEqualTo(replicaId());
            assertThatThrownBy(() -> c.setReadOnly(false))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("inside a transaction");
            c.commit();
            c.setAutoCommit(true);
            c.setReadOnly(false);

            c.setAutoCommit(false);
            long id = insert(c);
            // Inside the read-write transaction even a plain SELECT stays on the primary and sees the uncommitted row.
            assertThat(serverId(c)).isEqualTo(primaryId());
            assertThat(visible(c, id)).isTrue();
            c.commit();
        }
    }

    // ---------------------------------------------------------------- read-your-writes

    @Test
    void thousandWriteThenReadCyclesWithTokenSeeNoStaleReadUnderReplicationDelay() throws Exception {
        ReplicaNode replica = db().replicas().get(0);
        replica.setReplicationDelay(Duration.ofSeconds(1));
        // Waits of about the injected delay must succeed: the point is reads served by the replica after waiting.
        RoutingDataSource router = router(config()
                .causalReadTimeout(Duration.ofSeconds(5))
                .primaryPoolSize(100)
                .replicaPoolSize(100)
                .build());

        int threads = 100;
        int cyclesPerThread = 10;
        AtomicInteger stale = new AtomicInteger();
        AtomicInteger onReplica = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Callable<Void>> tasks = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                tasks.add(() -> {
                    for (int i = 0; i < cyclesPerThread; i++) {
                        Written<Long> w = router.write(RoutingDataSourceContract::insert);
                        assertThat(w.token()).isNotNull();
                        // The token travels as a string, as it would in a cookie to another web instance.
                        ConsistencyToken token = ConsistencyToken.parse(w.token().encode());
                        router.read(token, c -> {
                            if (!visible(c, w.value())) {
                                stale.incrementAndGet();
                            }
                            if ("replica-1".equals(RoutingDataSource.nodeOf(c))) {
                                onReplica.incrementAndGet();
                            }
                            return null;
                        });
                    }
                    return null;
                });
            }
            List<Future<Void>> done = pool.invokeAll(tasks, 120, TimeUnit.SECONDS);
            for (Future<Void> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(stale.get()).isZero();
        assertThat(onReplica.get()).as("reads served by the replica after waiting for the token").isPositive();
        assertThat(registry.find(RouterMetrics.GTID_WAITS).tag("outcome", "reached").timer().count()).isPositive();
    }

    @Test
    void sameCyclesWithoutTokenDoSeeStaleReadsUnderReplicationDelay() throws SQLException {
        db().replicas().get(0).setReplicationDelay(Duration.ofSeconds(1));
        RoutingDataSource router = router(config().build());
        // Changing the delay restarts replication: until its I/O thread has reconnected the monitor rightly sends
        // reads to the primary, and a fast machine ran all 20 cycles in that window (no stale read to see).
        await().atMost(RECOVERY).until(() -> "replica-1".equals(router.read(null, RoutingDataSource::nodeOf)));

        int stale = 0;
        for (int i = 0; i < 20; i++) {
            long id = router.write(RoutingDataSourceContract::insert).value();
            if (!router.read(null, c -> visible(c, id))) {
                stale++;
            }
        }
        assertThat(stale).as("stale reads without a token: proves the token test can fail").isPositive();
    }

    @Test
    void fastModeNeverWaitsAndUsesPrimaryUntilReplicaHasThePosition() throws SQLException {
        db().replicas().get(0).setReplicationDelay(Duration.ofSeconds(1));
        RoutingDataSource router = router(config().causalReads(CausalReads.FAST).build());
        // As above: while the restarted replication reconnects, the monitor takes the replica out and a read goes to
        // the primary for that reason, not for the token; this test is about the token.
        await().atMost(RECOVERY).until(() -> "replica-1".equals(router.read(null, RoutingDataSource::nodeOf)));

        Written<Long> w = router.write(RoutingDataSourceContract::insert);
        assertThat(router.read(w.token(), RoutingDataSource::nodeOf)).isEqualTo("primary");
        assertThat(count(RouterMetrics.FALLBACKS, "reason", "causal_not_caught_up")).isEqualTo(1.0);
        assertThat(registry.find(RouterMetrics.GTID_WAITS).timers()).allMatch(t -> t.count() == 0);

        db().replicas().get(0).setReplicationDelay(Duration.ZERO);
        await().atMost(RECOVERY).untilAsserted(() ->
                assertThat(router.<String>read(w.token(), c -> RoutingDataSource.nodeOf(c) + ":" + visible(c, w.value())))
                        .isEqualTo("replica-1:true"));
    }

    @Test
    void noneModeIgnoresTokens() throws SQLException {
        db().replicas().get(0).setReplicationDelay(Duration.ofSeconds(1));
        RoutingDataSource router = router(config().causalReads(CausalReads.NONE).build());

        Written<Long> w = router.write(RoutingDataSourceContract::insert);
        assertThat(router.<String>read(w.token(), c -> RoutingDataSource.nodeOf(c) + ":" + visible(c, w.value())))
                .isEqualTo("replica-1:false");
    }

    // ---------------------------------------------------------------- failures

    @Test
    void replicaStoppedReadsGoToPrimaryWithoutErrorsAndReturnWhenItRestarts() throws SQLException {
        RoutingDataSource router = router(config().build());
        assertThat(router.read(RoutingDataSourceContract::serverId)).isEqualTo(replicaId());

        db().replicas().get(0).stop();
        for (int i = 0; i < 50; i++) {
            assertThat(router.read(RoutingDataSourceContract::serverId)).isEqualTo(primaryId());
        }
        assertThat(count(RouterMetrics.FALLBACKS)).isGreaterThanOrEqualTo(50.0);
        assertThat(router.health().usableReplicas()).isZero();

        db().replicas().get(0).start();
        await().atMost(RECOVERY).untilAsserted(() ->
                assertThat(router.read(RoutingDataSourceContract::serverId)).isEqualTo(replicaId()));
        assertThat(router.health().usableReplicas()).isEqualTo(1);
    }

    @Test
    void aStatementFailingOnADeadReplicaMarksItDownAtOnceWithoutWaitingForTheMonitor() throws SQLException {
        // The monitor would take minutes: what marks the replica down here is the statement's own failure.
        RoutingDataSource router = router(config().monitorInterval(Duration.ofMinutes(10)).build());
        try (Connection c = router.getConnection()) {
            c.setReadOnly(true);
            PreparedStatement ps = c.prepareStatement("SELECT @@server_id");
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(replicaId());
            }
            db().replicas().get(0).stop();
            assertThatThrownBy(ps::executeQuery).isInstanceOf(SQLException.class);
            assertThat(registry.find(RouterMetrics.NODE_UP).tag("node", "replica-1").gauge().value()).isZero();
        }
        assertThat(router.read(RoutingDataSource::nodeOf)).isEqualTo("primary");
    }

    @Test
    void whatADataSourceConnectionHandsOutLeadsBackToItNotToThePooledConnection() throws SQLException {
        RoutingDataSource router = router(config().build());
        try (Connection c = router.getConnection()) {
            for (boolean readOnly : new boolean[] {false, true}) {
                c.setReadOnly(readOnly);
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
                    assertThat(rs.getStatement()).isSameAs(s);
                    assertThat(rs.getStatement().getConnection()).isSameAs(c);
                }
                try (PreparedStatement ps = c.prepareStatement("SELECT ?")) {
                    ps.setInt(1, 1);
                    try (ResultSet rs = ps.executeQuery()) {
                        assertThat(rs.getStatement().getConnection()).isSameAs(c);
                    }
                }
                assertThat(c.getMetaData().getConnection()).isSameAs(c);
                try (ResultSet tables = c.getMetaData().getTables(null, null, "ryw", null)) {
                    assertThat(tables.next()).isTrue();
                    assertThat(tables.getStatement()).isNull();
                }
            }
        }
        router.read(work -> {
            try (Statement s = work.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
                assertThat(rs.getStatement().getConnection()).isSameAs(work);
            }
            return null;
        });
    }

    @Test
    void replicaDyingUnderAReadIsRetriedOnTheWriterWithAndWithoutAToken() throws SQLException {
        for (CausalReads mode : List.of(CausalReads.TOKEN, CausalReads.FAST)) {
            RoutingDataSource router = router(config().causalReads(mode).build());
            Written<Long> w = router.write(RoutingDataSourceContract::insert);
            await().atMost(RECOVERY).until(() -> router.read(w.token(), RoutingDataSource::nodeOf).equals("replica-1"));
            for (ConsistencyToken token : java.util.Arrays.asList(w.token(), null)) {
                AtomicInteger attempts = new AtomicInteger();
                // The replica dies between the routing decision and the query, as a kill -9 under load does.
                String servedBy = router.read(token, c -> {
                    if (attempts.incrementAndGet() == 1) {
                        assertThat(RoutingDataSource.nodeOf(c)).isEqualTo("replica-1");
                        db().replicas().get(0).stop();
                    }
                    return RoutingDataSource.nodeOf(c) + ":" + visible(c, w.value());
                });
                assertThat(servedBy).as("%s read, token %s", mode, token).isEqualTo("primary:true");
                assertThat(attempts).hasValue(2);
                db().replicas().get(0).start();
                await().atMost(RECOVERY).until(() -> router.read(w.token(), RoutingDataSource::nodeOf).equals("replica-1"));
            }
        }
        assertThat(count(RouterMetrics.FALLBACKS, "reason", "replica_error")).isGreaterThanOrEqualTo(4.0);
    }

    @Test
    void primaryStoppedWritesFailFastWithClearExceptionWhileReadsContinue() throws SQLException {
        // A long pool timeout: failing fast must not come from waiting it out.
        RoutingDataSource router = router(config().connectionTimeout(Duration.ofSeconds(30)).build());
        long before = router.write(RoutingDataSourceContract::insert).value();
        db().awaitReplicasCaughtUp(RECOVERY);

        db().primary().stop();
        await().atMost(RECOVERY).until(() -> !router.health().primaryUp());

        long t0 = System.nanoTime();
        assertThatThrownBy(() -> router.write(RoutingDataSourceContract::insert))
                .isInstanceOf(PrimaryUnavailableException.class)
                .hasMessageStartingWith("primary is down");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
        assertThat(count(RouterMetrics.PRIMARY_UNAVAILABLE)).isPositive();

        // The replica's I/O thread lost the primary too; the monitor keeps it serving what it has applied.
        await().atMost(RECOVERY).until(() -> router.health().usableReplicas() == 1);
        for (int i = 0; i < 20; i++) {
            assertThat(router.<String>read(c -> serverId(c) + ":" + visible(c, before))).isEqualTo(replicaId() + ":true");
        }

        db().primary().start();
        await().atMost(RECOVERY).untilAsserted(() ->
                assertThat(router.write(RoutingDataSourceContract::serverId).value()).isEqualTo(primaryId()));
    }

    @Test
    void lagAboveMaxReplicationLagTakesReplicaOutAndItComesBack() throws SQLException {
        RoutingDataSource router = router(config().maxReplicationLag(Duration.ofSeconds(1)).build());
        ReplicaNode replica = db().replicas().get(0);
        replica.setReplicationDelay(Duration.ofSeconds(4));
        // Keep writing so the replica has an event to hold back and its lag grows past the bound.
        await().atMost(RECOVERY).pollInterval(Duration.ofMillis(200)).until(() -> {
            router.write(RoutingDataSourceContract::insert);
            return router.health().replicas().get(0).reason().startsWith("lag");
        });
        assertThat(router.read(RoutingDataSourceContract::serverId)).isEqualTo(primaryId());
        assertThat(registry.find(RouterMetrics.REPLICA_LAG).tag("node", "replica-1").gauge().value()).isGreaterThan(1.0);

        replica.setReplicationDelay(Duration.ZERO);
        await().atMost(RECOVERY).untilAsserted(() ->
                assertThat(router.read(RoutingDataSourceContract::serverId)).isEqualTo(replicaId()));
    }

    @Test
    void replicationBrokenMeansUnusable() throws SQLException {
        RoutingDataSource router = router(config().build());
        db().replicas().get(0).stopSqlThread();
        await().atMost(RECOVERY).until(() -> router.health().usableReplicas() == 0);
        assertThat(router.health().replicas().get(0).reason()).contains("NULL");
        assertThat(router.health().replicas().get(0).lag()).isEmpty();
        assertThat(router.read(RoutingDataSourceContract::serverId)).isEqualTo(primaryId());

        db().replicas().get(0).startSqlThread();
        await().atMost(RECOVERY).until(() -> router.health().usableReplicas() == 1);
    }

    @Test
    void primaryDoesNotTakeReadsWhenConfiguredSo() throws SQLException {
        RoutingDataSource router = router(config().primaryAcceptsReads(false).build());
        db().replicas().get(0).stop();
        await().atMost(RECOVERY).until(() -> router.health().usableReplicas() == 0);
        assertThatThrownBy(() -> router.read(RoutingDataSourceContract::serverId))
                .isInstanceOf(NoReadableNodeException.class)
                .hasMessageContaining("primaryAcceptsReads is false");
    }

    // ---------------------------------------------------------------- metrics

    @Test
    void countsStatementsAndConnectionsPerNodeAndKindAndExposesHikariMetrics() throws SQLException {
        RoutingDataSource router = router(config().build());
        router.read(RoutingDataSourceContract::serverId);
        router.read(RoutingDataSourceContract::serverId);
        router.write(RoutingDataSourceContract::insert);

        assertThat(count(RouterMetrics.STATEMENTS, "node", "replica-1", "kind", "read")).isEqualTo(2.0);
        assertThat(count(RouterMetrics.STATEMENTS, "node", "primary", "kind", "write")).isEqualTo(1.0);
        assertThat(count(RouterMetrics.CONNECTIONS, "node", "replica-1", "kind", "read")).isEqualTo(2.0);
        assertThat(count(RouterMetrics.CONNECTIONS, "node", "primary", "kind", "write")).isEqualTo(1.0);
        assertThat(registry.find(RouterMetrics.NODE_UP).tag("node", "primary").gauge().value()).isEqualTo(1.0);
        assertThat(registry.find(RouterMetrics.REPLICA_LAG).tag("node", "replica-1").gauge().value()).isGreaterThanOrEqualTo(0.0);
        assertThat(registry.find("hikaricp.connections.max").tag("pool", "db-replica-1").gauge()).isNotNull();
        assertThat(registry.find("hikaricp.connections.max").tag("pool", "db-primary").gauge()).isNotNull();
    }
}
