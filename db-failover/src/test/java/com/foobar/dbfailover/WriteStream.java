package com.foobar.dbfailover;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A steady stream of single-row autocommit inserts to one node, as an application writes: it notes every id whose
 * commit returned OK (acknowledged), and the one whose commit failed (in doubt: it may or may not have committed).
 * It stops at its first failure, after {@code maxWrites}, or after {@code maxTime}.
 */
final class WriteStream implements AutoCloseable {
    private final String url;
    private final String user;
    private final String password;
    private final String table;
    private final int maxWrites;
    private final long deadline;
    private final List<Long> acknowledged = new ArrayList<>();
    private final Thread thread;
    private volatile Long inDoubt;
    private volatile String failure;
    private volatile long slowestCommitNanos;
    private volatile boolean stop;

    WriteStream(String jdbcUrl, String user, String password, String table, int maxWrites, Duration maxTime) {
        this.url = jdbcUrl + (jdbcUrl.contains("?") ? "&" : "?") + "socketTimeout=30000";
        this.user = user;
        this.password = password;
        this.table = table;
        this.maxWrites = maxWrites;
        this.deadline = System.nanoTime() + maxTime.toNanos();
        this.thread = new Thread(this::run, "write-stream");
        thread.start();
    }

    private void run() {
        try (Connection c = DriverManager.getConnection(url, user, password);
             PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " (id) VALUES (?)")) {
            for (long id = 1; id <= maxWrites && !stop && System.nanoTime() < deadline; id++) {
                ps.setLong(1, id);
                long t0 = System.nanoTime();
                try {
                    ps.executeUpdate();
                } catch (SQLException e) {
                    inDoubt = id;
                    failure = e.getMessage();
                    return;
                }
                slowestCommitNanos = Math.max(slowestCommitNanos, System.nanoTime() - t0);
                synchronized (acknowledged) {
                    acknowledged.add(id);
                }
            }
        } catch (SQLException e) {
            failure = "could not connect: " + e.getMessage();
        }
    }

    int acknowledgedCount() {
        synchronized (acknowledged) {
            return acknowledged.size();
        }
    }

    List<Long> acknowledged() {
        synchronized (acknowledged) {
            return List.copyOf(acknowledged);
        }
    }

    Long inDoubt() {
        return inDoubt;
    }

    String failure() {
        return failure;
    }

    Duration slowestCommit() {
        return Duration.ofNanos(slowestCommitNanos);
    }

    boolean finished() {
        return !thread.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        stop = true;
        thread.join(TimeUnit.SECONDS.toMillis(40));
    }
}
