package com.foobar.dbrouter;

import com.foobar.devdb.DevDb;
import com.foobar.devdb.DevDbOptions;
import com.foobar.devdb.Engine;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What routing costs on a point SELECT against the replica: a plain HikariCP pool on that node, against
 * {@link RoutingDataSource#read} and against the DataSource path with {@code setReadOnly(true)}. Same node, same
 * driver options, one thread.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 1, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(2)
@State(Scope.Benchmark)
public class RoutingOverheadBenchmark {
    private static final String POINT_SELECT = "SELECT v FROM bench WHERE id = ?";
    private static final int ROWS = 1000;

    private DevDb db;
    private HikariDataSource plain;
    private RoutingDataSource router;

    @Setup(Level.Trial)
    public void setUp() throws SQLException {
        db = DevDb.start(DevDbOptions.builder().engine(Engine.EMBEDDED_MARIADB).build());
        try (Connection c = java.sql.DriverManager.getConnection(db.primary().jdbcUrl(), db.user(), db.password());
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE bench (id INT PRIMARY KEY, v VARCHAR(32) NOT NULL)");
            StringBuilder sql = new StringBuilder("INSERT INTO bench (id, v) VALUES ");
            for (int i = 0; i < ROWS; i++) {
                sql.append(i == 0 ? "" : ",").append("(").append(i).append(",'value-").append(i).append("')");
            }
            s.execute(sql.toString());
        }
        db.awaitReplicasCaughtUp(Duration.ofSeconds(60));

        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(db.replicas().get(0).jdbcUrl());
        hc.setUsername(db.user());
        hc.setPassword(db.password());
        hc.setMaximumPoolSize(RouterConfig.DEFAULT_REPLICA_POOL_SIZE);
        for (String kv : NodePool.DRIVER_PROPERTIES.split(",")) {
            int eq = kv.indexOf('=');
            hc.addDataSourceProperty(kv.substring(0, eq), kv.substring(eq + 1));
        }
        plain = new HikariDataSource(hc);

        router = new RoutingDataSource(RouterConfig.builder()
                .primaryUrl(db.primary().jdbcUrl())
                .replicaUrls(List.of(db.replicas().get(0).jdbcUrl()))
                .username(db.user())
                .password(db.password())
                .build(), new SimpleMeterRegistry());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        router.close();
        plain.close();
        db.close();
    }

    private static String pointSelect(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(POINT_SELECT)) {
            ps.setInt(1, ThreadLocalRandom.current().nextInt(ROWS));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    @Benchmark
    public String plainHikariPool() throws SQLException {
        try (Connection c = plain.getConnection()) {
            return pointSelect(c);
        }
    }

    @Benchmark
    public String routerRead() throws SQLException {
        return router.read(RoutingOverheadBenchmark::pointSelect);
    }

    /**
     * The router's own CPU cost, without the network round trip that dominates the point SELECT: borrow, prepare
     * (a client-side prepared statement from the driver's cache: no I/O) and release. Compare with
     * {@link #routerPrepareOnly()}.
     */
    @Benchmark
    public boolean plainPrepareOnly() throws SQLException {
        try (Connection c = plain.getConnection(); PreparedStatement ps = c.prepareStatement(POINT_SELECT)) {
            return ps.isClosed();
        }
    }

    @Benchmark
    public boolean routerPrepareOnly() throws SQLException {
        return router.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(POINT_SELECT)) {
                return ps.isClosed();
            }
        });
    }

    @Benchmark
    public String routerDataSourceReadOnly() throws SQLException {
        try (Connection c = router.getConnection()) {
            c.setReadOnly(true);
            return pointSelect(c);
        }
    }
}
