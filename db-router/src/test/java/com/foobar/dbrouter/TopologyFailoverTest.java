package com.foobar.dbrouter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.foobar.devdb.DbNode;
import com.foobar.devdb.DevDb;
import com.foobar.devdb.Engine;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The router follows a real topology change of a primary and two replicas of embedded MariaDB, done over JDBC the
 * way a failover tool does it ({@link FailoverDrill}), with no restart and no call to the router. Each test starts
 * from whatever node is the writer now (an earlier test may have promoted another) and leaves one writer with the
 * others replicating from it.
 */
class TopologyFailoverTest {
    @RegisterExtension
    static final SharedDevDb TRIO = new SharedDevDb(Engine.EMBEDDED_MARIADB, 2);

    private static final AtomicLong IDS = new AtomicLong(System.nanoTime() % 1_000_000_000L);
    private static final Duration MONITOR_INTERVAL = Duration.ofMillis(100);
    private static final Duration WRITER_WAIT = Duration.ofSeconds(1);
    /** A refused write returns within the writer wait; this much more is scheduling slack on a busy 2-core host. */
    private static final Duration REFUSAL_SLACK = Duration.ofSeconds(1);
    /** From the promotion's last statement to the router sending writes there: 20 poll intervals. */
    private static final Duration FOLLOW_BOUND = Duration.ofSeconds(2);
    private static final Duration LOAD_LIMIT = Duration.ofSeconds(90);

    private final List<RoutingDataSource> routers = new ArrayList<>();
    private SimpleMeterRegistry registry;
    private FailoverDrill drill;
    private FailoverDrill.Cluster cluster;

    private DevDb db() {
        return TRIO.db();
    }

    @BeforeEach
    void settle() throws SQLException {
        registry = new SimpleMeterRegistry();
        drill = new FailoverDrill(db());
        cluster = drill.settle();
        drill.exec(cluster.writer(), "CREATE TABLE IF NOT EXISTS `" + db().database() + "`.topo_writes ("
                + "id BIGINT PRIMARY KEY, server_id INT NOT NULL, ro INT NOT NULL)");
        drill.settle();
    }

    @AfterEach
    void closeRouters() throws SQLException {
        routers.forEach(RoutingDataSource::close);
        routers.clear();
        drill.settle();
    }

    /** The nodes as a plain list: node-1 (devdb's primary), node-2, node-3. */
    private RouterConfig.Builder nodeList() {
        List<String> urls = new ArrayList<>();
        for (DbNode n : db().nodes()) {
            urls.add(n.jdbcUrl());
        }
        return base().nodeUrls(urls);
    }

    /** The nodes as primaryUrl/replicaUrls, named primary, replica-1, replica-2 whatever their roles now. */
    private RouterConfig.Builder primaryAndReplicas() {
        return base().primaryUrl(db().primary().jdbcUrl())
                .replicaUrls(db().replicas().stream().map(DbNode::jdbcUrl).toList());
    }

    private RouterConfig.Builder base() {
        return RouterConfig.builder()
                .username(db().user())
                .password(db().password())
                .monitorInterval(MONITOR_INTERVAL)
                .writerWaitTimeout(WRITER_WAIT);
    }

    private RoutingDataSource router(RouterConfig config) {
        RoutingDataSource r = new RoutingDataSource(config, registry);
        routers.add(r);
        return r;
    }

    /** The router's name of a devdb node for a {@link #nodeList()} router. */
    private String listName(DbNode n) {
        return RouterConfig.NODE_NAME_PREFIX + (db().nodes().stream().map(DbNode::name).toList().indexOf(n.name()) + 1);
    }

    private static long insert(Connection c) throws SQLException {
        long id = IDS.incrementAndGet();
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO topo_writes (id, server_id, ro) VALUES (?, @@server_id, @@global.read_only)")) {
            ps.setLong(1, id);
            ps.executeUpdate();
        }
        return id;
    }

    private static int serverId(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT @@server_id")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static boolean visible(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM topo_writes WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private double count(String name, String... tags) {
        return registry.find(name).tags(tags).counters().stream().mapToDouble(c -> c.count()).sum();
    }

    private double gauge(String name, String... tags) {
        return registry.find(name).tags(tags).gauge().value();
    }

    private static Duration since(long t0) {
        return Duration.ofNanos(System.nanoTime() - t0);
    }

    /** What one write of the load saw. */
    private record WriteOutcome(long id, int serverId, long startNanos, long endNanos, Throwable failure) {
    }

    // ---------------------------------------------------------------- planned switchover under load

    @Test
    void switchoverUnderLoadMovesWritesToTheNewWriterWithoutRestartNeverWritesToAReadOnlyNodeAndReadsNeverFail()
            throws Exception {
        DbNode old = cluster.writer();
        DbNode next = cluster.promotable(db());
        DbNode third = cluster.other(next);
        RoutingDataSource router = router(nodeList().build());
        assertThat(router.health().writer()).contains(listName(old));

        ConcurrentLinkedQueue<WriteOutcome> writes = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Throwable> readFailures = new ConcurrentLinkedQueue<>();
        AtomicInteger reads = new AtomicInteger();
        AtomicInteger staleTokenReads = new AtomicInteger();
        Map<String, AtomicInteger> readsByNode = new ConcurrentHashMap<>();
        AtomicBoolean stop = new AtomicBoolean();
        long deadline = System.nanoTime() + LOAD_LIMIT.toNanos();
        ExecutorService load = Executors.newFixedThreadPool(6);
        List<Future<?>> running = new ArrayList<>();
        try {
            for (int t = 0; t < 4; t++) {
                running.add(load.submit(() -> {
                    for (int i = 0; i < 200_000 && !stop.get() && System.nanoTime() < deadline; i++) {
                        long t0 = System.nanoTime();
                        try {
                            Written<long[]> w = router.write(c -> new long[] {insert(c), serverId(c)});
                            writes.add(new WriteOutcome(w.value()[0], (int) w.value()[1], t0, System.nanoTime(), null));
                            // Read-your-writes across the switch: the token's write is seen, wherever the read goes.
                            if (!router.read(w.token(), c -> visible(c, w.value()[0]))) {
                                staleTokenReads.incrementAndGet();
                            }
                        } catch (Throwable e) {
                            writes.add(new WriteOutcome(-1, -1, t0, System.nanoTime(), e));
                        }
                    }
                    return null;
                }));
            }
            for (int t = 0; t < 2; t++) {
                running.add(load.submit(() -> {
                    for (int i = 0; i < 2_000_000 && !stop.get() && System.nanoTime() < deadline; i++) {
                        try {
                            // A 2 ms query, as real reads take time: the readers keep reading throughout
                            // without burning both cores of the test host.
                            String node = router.read(c -> {
                                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT SLEEP(0.002)")) {
                                    rs.next();
                                }
                                return RoutingDataSource.nodeOf(c);
                            });
                            readsByNode.computeIfAbsent(node, k -> new AtomicInteger()).incrementAndGet();
                            reads.incrementAndGet();
                        } catch (Throwable e) {
                            readFailures.add(e);
                        }
                    }
                    return null;
                }));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> writes.size() >= 50);

            // The switch, as a tool does it: fence, let the candidate apply everything, promote, repoint, re-attach.
            drill.fence(old);
            await().atMost(Duration.ofSeconds(30)).until(() -> count(RouterMetrics.WRITES_REFUSED, "reason", "no_writer") >= 3);
            drill.awaitApplied(next, drill.binlogPosition(old));
            drill.promote(next);
            long promoted = System.nanoTime();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10))
                    .until(() -> router.health().writer().equals(java.util.Optional.of(listName(next))));
            Duration followed = since(promoted);
            System.out.println("[topology] router sent writes to the promoted " + listName(next) + " " + followed.toMillis()
                    + " ms after its promotion (monitor interval " + MONITOR_INTERVAL.toMillis() + " ms)");
            assertThat(followed).isLessThan(FOLLOW_BOUND);

            // The third node still follows the fenced old writer: lag 0, but it gets nothing new, so no reads there.
            RouterHealth.NodeHealth stale = router.health().nodes().stream()
                    .filter(n -> n.name().equals(listName(third))).findFirst().orElseThrow();
            assertThat(stale.usable()).isFalse();
            assertThat(stale.reason()).contains("not from the writer " + listName(next));

            drill.repoint(third, next);
            drill.reattach(old, next);
            // The re-attached former writer becomes a read replica once it replicates.
            await().atMost(Duration.ofSeconds(30)).until(() -> router.health().nodes().stream()
                    .filter(n -> n.name().equals(listName(old))).findFirst().orElseThrow().usable());
            await().atMost(Duration.ofSeconds(30)).until(() -> readsByNode.containsKey(listName(old))
                    && readsByNode.get(listName(old)).get() > 0 && router.health().usableReplicas() == 2);
            int afterSwitch = writes.size();
            await().atMost(Duration.ofSeconds(30)).until(() -> writes.size() >= afterSwitch + 50);
        } finally {
            stop.set(true);
            load.shutdown();
            assertThat(load.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        }
        for (Future<?> f : running) {
            f.get();
        }

        List<WriteOutcome> ok = writes.stream().filter(w -> w.failure() == null).toList();
        List<WriteOutcome> refused = writes.stream().filter(w -> w.failure() != null).toList();
        System.out.println("[topology] switchover under load: " + ok.size() + " writes committed, " + refused.size()
                + " refused, " + reads.get() + " reads, by node " + readsByNode);
        for (WriteOutcome w : refused) {
            // Only the router's transient exception, naming the state, and within the bound.
            assertThat(w.failure()).isInstanceOf(NoWriterException.class);
            assertThat(((NoWriterException) w.failure()).refusal())
                    .isIn(WriteRefusal.NO_WRITER, WriteRefusal.WRITER_TURNED_READ_ONLY);
            assertThat(Duration.ofNanos(w.endNanos() - w.startNanos())).isLessThan(WRITER_WAIT.plus(REFUSAL_SLACK));
        }
        assertThat(refused).isNotEmpty();
        assertThat(readFailures).isEmpty();
        assertThat(staleTokenReads.get()).isZero();
        assertThat(ok.stream().filter(w -> w.serverId() == old.serverId())).isNotEmpty();
        assertThat(ok.stream().filter(w -> w.serverId() == next.serverId())).isNotEmpty();
        assertThat(ok.stream().filter(w -> w.serverId() == third.serverId())).isEmpty();

        // Every acknowledged write is on the new writer, and each was made while its node was writable.
        java.util.Set<Long> acknowledged = new java.util.HashSet<>(ok.stream().map(WriteOutcome::id).toList());
        java.util.Set<Long> found = new java.util.HashSet<>();
        try (Connection c = drill.admin(next); PreparedStatement ps = c.prepareStatement("SELECT id, ro FROM `"
                + db().database() + "`.topo_writes WHERE id BETWEEN ? AND ?")) {
            ps.setLong(1, java.util.Collections.min(acknowledged));
            ps.setLong(2, java.util.Collections.max(acknowledged));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.add(rs.getLong(1));
                    assertThat(rs.getInt(2)).as("write %d was made on a read-only node", rs.getLong(1)).isZero();
                }
            }
        }
        assertThat(found).as("acknowledged writes on the new writer").containsAll(acknowledged);

        assertThat(count(RouterMetrics.TOPOLOGY_CHANGES)).isGreaterThanOrEqualTo(2.0);
        assertThat(gauge(RouterMetrics.NODE_ROLE, "node", listName(next), "role", "writer")).isEqualTo(1.0);
        assertThat(gauge(RouterMetrics.NODE_ROLE, "node", listName(old), "role", "replica")).isEqualTo(1.0);
        assertThat(gauge(RouterMetrics.WRITABLE_NODES)).isEqualTo(1.0);
    }

    // ---------------------------------------------------------------- unplanned failover

    @Test
    void writerStoppedRefusesWritesFastThenFollowsThePromotedReplicaAndTheOldWriterReturningWritableIsSplitBrain()
            throws Exception {
        DbNode old = cluster.writer();
        DbNode next = cluster.promotable(db());
        DbNode third = cluster.other(next);
        // Configured the old way: "primary" is only a name and a first guess here, whichever node writes now.
        RoutingDataSource router = router(primaryAndReplicas().build());
        assertThat(router.health().writer()).contains(old.name());
        Written<Long> before = router.write(TopologyFailoverTest::insert);
        drill.awaitApplied(next, drill.binlogPosition(old));
        drill.awaitApplied(third, drill.binlogPosition(old));

        old.stop();
        await().atMost(Duration.ofSeconds(10)).until(() -> !router.health().primaryUp());
        for (int i = 0; i < 5; i++) {
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> router.write(TopologyFailoverTest::insert))
                    .isInstanceOf(PrimaryUnavailableException.class)
                    .hasMessageStartingWith(old.name() + " is down: ")
                    .satisfies(e -> assertThat(((PrimaryUnavailableException) e).refusal()).isEqualTo(WriteRefusal.WRITER_DOWN));
            // At once: a writer that is down is not waited for (a failover is seconds away).
            assertThat(since(t0)).isLessThan(REFUSAL_SLACK);
        }
        // Reads go on from the replicas, which keep what they applied.
        for (int i = 0; i < 20; i++) {
            assertThat(router.<String>read(c -> RoutingDataSource.nodeOf(c) + ":" + visible(c, before.value())))
                    .isIn(next.name() + ":true", third.name() + ":true");
        }

        drill.promote(next);
        long promoted = System.nanoTime();
        drill.repoint(third, next);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10)).ignoreExceptions()
                .until(() -> router.write(TopologyFailoverTest::serverId).value() == next.serverId());
        Duration followed = since(promoted);
        System.out.println("[topology] after the writer stopped, the first write on the promoted " + next.name()
                + " succeeded " + followed.toMillis() + " ms after its promotion");
        assertThat(followed).isLessThan(FOLLOW_BOUND.plus(WRITER_WAIT));
        // The token of a write on the old writer is honoured by the new topology.
        assertThat(router.<Boolean>read(before.token(), c -> visible(c, before.value()))).isTrue();

        // The old writer comes back as a restarted primary does: writable. Two writers: writes refused, loudly.
        old.start();
        if (!"0".equals(drill.scalar(old, "SELECT @@global.read_only"))) {
            drill.makeWritable(old);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> router.health().writerState() == WriterState.SPLIT_BRAIN);
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> router.write(TopologyFailoverTest::insert))
                .isInstanceOf(SplitBrainException.class)
                .hasMessageContaining("split brain: 2 nodes are writable")
                .hasMessageContaining(old.name())
                .hasMessageContaining(next.name());
        assertThat(since(t0)).isLessThan(WRITER_WAIT.plus(REFUSAL_SLACK));
        assertThat(count(RouterMetrics.WRITES_REFUSED, "reason", "split_brain")).isPositive();
        assertThat(gauge(RouterMetrics.WRITABLE_NODES)).isEqualTo(2.0);
        assertThat(router.health().writeProblem()).startsWith("split brain");
        assertThat(router.<Boolean>read(c -> visible(c, before.value()))).isTrue();

        // The tool fences it and re-attaches it: one writer again, and the old one reads as a replica.
        drill.fence(old);
        drill.reattach(old, next);
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> router.write(TopologyFailoverTest::serverId).value() == next.serverId());
        await().atMost(Duration.ofSeconds(30)).until(() -> router.health().usableReplicas() == 2);
        assertThat(router.health().writer()).contains(next.name());
    }

    // ---------------------------------------------------------------- split brain

    @Test
    void twoWritableNodesRefuseEveryWriteWhileReadsContinueAndWritesResumeWhenOneIsReadOnlyAgain() throws Exception {
        DbNode writer = cluster.writer();
        DbNode rogue = cluster.promotable(db());
        RoutingDataSource router = router(nodeList().writerWaitTimeout(Duration.ZERO).build());

        drill.stopReplication(rogue);
        drill.makeWritable(rogue);
        await().atMost(Duration.ofSeconds(10)).until(() -> router.health().writerState() == WriterState.SPLIT_BRAIN);
        for (int i = 0; i < 10; i++) {
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> router.write(TopologyFailoverTest::insert))
                    .isInstanceOf(SplitBrainException.class)
                    .isInstanceOf(java.sql.SQLTransientConnectionException.class)
                    .hasMessage("split brain: 2 nodes are writable and replicate from no one (" + String.join(", ",
                            db().nodes().stream().filter(n -> n == writer || n == rogue).map(this::listName).toList())
                            + "); writes are refused until all but one are read-only");
            // writerWaitTimeout 0: refused at once.
            assertThat(since(t0)).isLessThan(REFUSAL_SLACK);
            assertThat(router.<Integer>read(c -> serverId(c))).isPositive();
        }
        assertThat(count(RouterMetrics.WRITES_REFUSED, "reason", "split_brain")).isEqualTo(10.0);
        assertThat(gauge(RouterMetrics.NODE_ROLE, "node", listName(rogue), "role", "writer")).isEqualTo(1.0);
        assertThat(gauge(RouterMetrics.NODE_ROLE, "node", listName(writer), "role", "writer")).isEqualTo(1.0);

        drill.fence(rogue);
        drill.exec(rogue, "START SLAVE");
        await().atMost(Duration.ofSeconds(10)).until(() -> router.health().writerState() == WriterState.ONE_WRITER);
        assertThat(router.write(TopologyFailoverTest::serverId).value()).isEqualTo(writer.serverId());
    }

    // ---------------------------------------------------------------- a write raced by a role change

    @Test
    void aWriteRacedByARoleChangeGetsTheTransientExceptionAndTheNodeIsRecheckedAtOnceNotAtTheNextPoll() throws Exception {
        DbNode writer = cluster.writer();
        // The poll comes every 30 s: only the immediate re-check can explain the router noticing within seconds.
        RoutingDataSource router = router(nodeList().monitorInterval(Duration.ofSeconds(30)).build());

        // A connection from getConnection(), bound to the writer before it is fenced.
        try (Connection c = router.getConnection()) {
            assertThat(RoutingDataSource.nodeOf(c)).isEqualTo(listName(writer));
            drill.fence(writer);
            long id = IDS.incrementAndGet();
            try (Statement s = c.createStatement()) {
                assertThatThrownBy(() -> s.executeUpdate("INSERT INTO topo_writes (id, server_id, ro) VALUES ("
                        + id + ", @@server_id, @@global.read_only)"))
                        .isInstanceOf(NoWriterException.class)
                        .hasMessageStartingWith(listName(writer) + " turned read-only under the write")
                        .satisfies(e -> assertThat(((NoWriterException) e).refusal())
                                .isEqualTo(WriteRefusal.WRITER_TURNED_READ_ONLY));
            }
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> router.health().writerState() == WriterState.NO_WRITER);
        assertThat(router.health().nodes().stream().filter(n -> n.name().equals(listName(writer))).findFirst()
                .orElseThrow().role()).isEqualTo(NodeRole.READ_ONLY);

        // write(): the same exception, and nothing committed.
        drill.makeWritable(writer);
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                .until(() -> router.write(TopologyFailoverTest::serverId).value() == writer.serverId());
        AtomicLong attempted = new AtomicLong();
        assertThatThrownBy(() -> router.write(c -> {
            drill.fence(writer);
            attempted.set(insert(c));
            return null;
        })).isInstanceOf(NoWriterException.class)
                .satisfies(e -> assertThat(((NoWriterException) e).refusal()).isEqualTo(WriteRefusal.WRITER_TURNED_READ_ONLY));
        await().atMost(Duration.ofSeconds(5)).until(() -> router.health().writerState() == WriterState.NO_WRITER);
        assertThat(count(RouterMetrics.WRITES_REFUSED, "reason", "writer_turned_read_only")).isEqualTo(2.0);

        // Made writable again: a write waiting for a writer makes the router look at once, well before the poll.
        drill.makeWritable(writer);
        long t0 = System.nanoTime();
        assertThat(router.write(TopologyFailoverTest::serverId).value()).isEqualTo(writer.serverId());
        assertThat(since(t0)).isLessThan(WRITER_WAIT.plus(REFUSAL_SLACK));
    }

    // ---------------------------------------------------------------- read-your-writes across a lossy promotion

    @Test
    void aTokenWhoseWriteWasLostInAFailoverIsNeverServedAsConsistentByAReplica() throws Exception {
        DbNode old = cluster.writer();
        DbNode next = cluster.promotable(db());
        DbNode third = cluster.other(next);
        RoutingDataSource router = router(nodeList().causalReadTimeout(Duration.ofSeconds(2)).build());
        RoutingDataSource fast = router(nodeList().name("fast").causalReads(CausalReads.FAST).build());

        // Asynchronous replication loses the old writer's last write: the replicas never receive it.
        String beforeLost = drill.binlogPosition(old);
        drill.stopReplication(next);
        drill.stopReplication(third);
        Written<Long> lost = router.write(TopologyFailoverTest::insert);
        assertThat(lost.token().position()).as("the lost write's GTID").startsWith("0-" + old.serverId() + "-");
        drill.fence(old);
        drill.promote(next);
        drill.repoint(third, next);
        await().atMost(Duration.ofSeconds(10)).until(() -> router.health().writer().equals(java.util.Optional.of(listName(next)))
                && router.health().usableReplicas() == 1);
        // The new writer numbers its writes on from where it was: past the lost write's sequence number.
        Written<Long> after = null;
        for (int i = 0; i < 3; i++) {
            after = router.write(TopologyFailoverTest::insert);
        }
        drill.awaitApplied(third, drill.binlogPosition(next));

        // The trap: on the replica, MASTER_GTID_WAIT says the lost write is there (it compares sequence numbers only).
        try (Connection c = drill.admin(third); PreparedStatement ps = c.prepareStatement("SELECT MASTER_GTID_WAIT(?, 0)")) {
            ps.setString(1, lost.token().position());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getInt(1)).as("MASTER_GTID_WAIT on %s for the lost %s", third.name(), lost.token()).isZero();
            }
        }
        // The router does not believe it: the read goes to the writer (which does not have the write either: it is
        // lost, and a read can do no better than the freshest node).
        for (RoutingDataSource r : List.of(router, fast)) {
            assertThat(r.<String>read(lost.token(), c -> RoutingDataSource.nodeOf(c) + ":" + visible(c, lost.value())))
                    .isEqualTo(listName(next) + ":false");
        }
        assertThat(count(RouterMetrics.FALLBACKS, "reason", "causal_other_lineage")).isEqualTo(2.0);
        // A token of the new writer is served by the replica as usual.
        Written<Long> fresh = after;
        assertThat(router.<String>read(fresh.token(), c -> RoutingDataSource.nodeOf(c) + ":" + visible(c, fresh.value())))
                .isEqualTo(listName(third) + ":true");

        // The old writer holds an errant transaction: rebuilt as a replica (see FailoverDrill#rebuild).
        drill.rebuild(old, next, beforeLost,
                "DELETE FROM `" + db().database() + "`.topo_writes WHERE id = " + lost.value());
        await().atMost(Duration.ofSeconds(30)).until(() -> router.health().usableReplicas() == 2);
    }
}
