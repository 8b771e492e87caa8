package com.foobar.devdb;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.OptionalLong;

/** A primary or replica: a {@link ServerProcess} plus what DevDb knows about it. */
final class Node implements ReplicaNode {
    private final String name;
    private final int serverId;
    private final ServerProcess process;
    private final Dialect dialect;
    private final String database;
    private final boolean freshData;
    private volatile Role role;
    private volatile DevDbOptions options;

    Node(String name, int serverId, Role initialRole, ServerProcess process, Dialect dialect, String database,
         boolean freshData) {
        this.name = name;
        this.serverId = serverId;
        this.role = initialRole;
        this.process = process;
        this.dialect = dialect;
        this.database = database;
        this.freshData = freshData;
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

    /** Starts the server; the writer is made writable again (every server starts read-only). */
    @Override
    public void start() {
        process.start();
        if (role == Role.WRITER && options != null) {
            ReplicationSetup.makeWriter(this, options);
        }
    }

    /** Starts the server as its configuration says, read-only, whatever its role was. */
    void startReadOnly() {
        process.start();
    }

    @Override
    public boolean isRunning() {
        return process.isRunning();
    }

    @Override
    public OptionalLong pid() {
        return process.pid();
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

    Role role() {
        return role;
    }

    /** Records what devdb made of the node; {@code options} let a clean restart of the writer restore it. */
    void role(Role role, DevDbOptions options) {
        this.role = role;
        this.options = options;
    }

    /** Whether its data directory was created by this start (not reused from an earlier run). */
    boolean freshData() {
        return freshData;
    }

    Connection adminConnection() throws SQLException {
        return process.adminConnection();
    }

    private void requireReplica(String what) {
        if (role == Role.WRITER) {
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
