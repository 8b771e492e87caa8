package com.foobar.devdb;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/** A primary or replica: a {@link ServerProcess} plus what DevDb knows about it. */
final class Node implements ReplicaNode {
    private final String name;
    private final int serverId;
    private final boolean replica;
    private final ServerProcess process;
    private final Dialect dialect;
    private final String database;

    Node(String name, int serverId, boolean replica, ServerProcess process, Dialect dialect, String database) {
        this.name = name;
        this.serverId = serverId;
        this.replica = replica;
        this.process = process;
        this.dialect = dialect;
        this.database = database;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String host() {
        return process.host();
    }

    @Override
    public int port() {
        return process.port();
    }

    @Override
    public String jdbcUrl() {
        return JdbcUrls.app(process.host(), process.port(), database);
    }

    @Override
    public int serverId() {
        return serverId;
    }

    @Override
    public void stop() {
        process.stop();
    }

    @Override
    public void start() {
        process.start();
    }

    @Override
    public boolean isRunning() {
        return process.isRunning();
    }

    @Override
    public void stopSqlThread() {
        requireReplica("stopSqlThread");
        admin(dialect.stopSqlThread());
    }

    @Override
    public void startSqlThread() {
        requireReplica("startSqlThread");
        admin(dialect.startSqlThread());
    }

    @Override
    public void setReplicationDelay(Duration delay) {
        requireReplica("setReplicationDelay");
        long seconds = Dialect.wholeSeconds(delay);
        // The delay can only change while replication is stopped; GTID positioning makes the restart lossless.
        admin(dialect.stopReplica(), dialect.changeDelay(seconds), dialect.startReplica());
    }

    ServerProcess process() {
        return process;
    }

    Dialect dialect() {
        return dialect;
    }

    boolean isReplica() {
        return replica;
    }

    Connection adminConnection() throws SQLException {
        return process.adminConnection();
    }

    private void requireReplica(String what) {
        if (!replica) {
            throw new DevDbException(name + ": " + what + " applies to replicas only");
        }
    }

    private void admin(String... statements) {
        if (!process.isRunning()) {
            throw new DevDbException(name + " is stopped");
        }
        try (Connection c = process.adminConnection(); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        } catch (SQLException e) {
            throw new DevDbException(name + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return name + "(" + host() + ":" + port() + ", server_id=" + serverId + ")";
    }
}
