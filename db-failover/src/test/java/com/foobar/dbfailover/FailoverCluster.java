package com.foobar.dbfailover;

import static org.awaitility.Awaitility.await;

import com.foobar.dbfailover.config.ConfigException;
import com.foobar.dbfailover.config.FailoverConfig;
import com.foobar.dbfailover.report.Event;
import com.foobar.dbfailover.report.EventKind;
import com.foobar.devdb.DbNode;
import com.foobar.devdb.DevDb;
import com.foobar.devdb.DevDbOptions;
import com.foobar.devdb.Engine;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A real replicated MariaDB group (devdb) with a decider watching it, for one test: the decider runs in the test's
 * JVM, the databases are real mariadbd processes that the test kills, stops and starts.
 */
final class FailoverCluster implements AutoCloseable {
    final DevDb db;
    final Failover failover;
    final FailoverConfig config;
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();

    private FailoverCluster(DevDb db, FailoverConfig config) throws IOException {
        this.db = db;
        this.config = config;
        PrintStream original = System.out;
        OutputStream tee = new OutputStream() {
            @Override
            public void write(int b) {
                synchronized (output) {
                    output.write(b);
                }
                original.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                synchronized (output) {
                    output.write(b, off, len);
                }
                original.write(b, off, len);
            }
        };
        this.failover = Failover.start(config, new PrintStream(tee, true, StandardCharsets.UTF_8));
    }

    /** devdb as asked (always embedded MariaDB), then a decider over every node with {@code tune} applied. */
    static FailoverCluster start(Consumer<DevDbOptions.Builder> devdb, Consumer<FailoverConfig.Builder> tune) {
        DevDbOptions.Builder options = DevDbOptions.builder().engine(Engine.EMBEDDED_MARIADB);
        devdb.accept(options);
        DevDb db = DevDb.start(options.build());
        try {
            FailoverConfig.Builder b = FailoverConfig.builder()
                    .user(db.failoverUser(), db.failoverPassword())
                    .replicationUser(db.replicationUser(), db.replicationPassword())
                    .checkInterval(Duration.ofMillis(250))
                    .status("127.0.0.1", 0);
            for (DbNode n : db.nodes()) {
                b.node(n.name(), n.host(), n.port());
            }
            tune.accept(b);
            FailoverCluster cluster = new FailoverCluster(db, b.build());
            await().atMost(Duration.ofSeconds(30)).until(() -> "primary".equals(cluster.failover.status().primary())
                    && "watching".equals(cluster.failover.status().state()));
            return cluster;
        } catch (ConfigException | IOException | RuntimeException e) {
            db.close();
            throw e instanceof RuntimeException ? (RuntimeException) e : new IllegalStateException(e);
        }
    }

    DbNode node(String name) {
        return db.nodes().stream().filter(n -> n.name().equals(name)).findFirst().orElseThrow();
    }

    /** SIGKILL of the node's mariadbd; returns its pid. */
    long kill(String name) {
        long pid = node(name).pid().orElseThrow();
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        return pid;
    }

    /** Sends {@code kill -SIGNAL pid} (STOP, CONT): the JDK has no API for these. */
    void signal(String name, String signal) {
        long pid = node(name).pid().orElseThrow();
        try {
            Process p = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
            if (p.waitFor() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + pid + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    List<Event> events() {
        return failover.events();
    }

    Optional<Event> event(EventKind kind, String node) {
        return events().stream().filter(e -> e.kind() == kind && e.node().equals(node)).findFirst();
    }

    Event awaitEvent(EventKind kind, String node, Duration within) {
        await().atMost(within).until(() -> event(kind, node).isPresent());
        return event(kind, node).orElseThrow();
    }

    String output() {
        synchronized (output) {
            return output.toString(StandardCharsets.UTF_8);
        }
    }

    /** As the application. */
    Connection app(String name) throws SQLException {
        return DriverManager.getConnection(node(name).jdbcUrl(), db.user(), db.password());
    }

    /** As the failover account, no default database. */
    Connection operator(String name) throws SQLException {
        DbNode n = node(name);
        return DriverManager.getConnection("jdbc:mysql://" + n.host() + ":" + n.port()
                + "/?useSSL=false&allowPublicKeyRetrieval=true&connectTimeout=2000", db.failoverUser(), db.failoverPassword());
    }

    String scalar(String name, String sql) throws SQLException {
        try (Connection c = operator(name); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    void execute(String name, String... statements) throws SQLException {
        try (Connection c = operator(name); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    /** Whether the node answers as the application does. */
    boolean answers(String name) {
        try (Connection c = app(name); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
            return rs.next();
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public void close() {
        try {
            failover.close();
        } finally {
            db.close();
        }
    }
}
