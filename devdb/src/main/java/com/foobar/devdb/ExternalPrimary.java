package com.foobar.devdb;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * The primary another devdb runs (elsewhere: another machine, another network namespace), which a {@code replicaOf}
 * devdb replicates from. Nothing of it is ours to start or stop; we reach it with the application account, which
 * may read its GTID position (devdb grants it BINLOG MONITOR) but has no admin rights.
 */
final class ExternalPrimary implements ServerProcess {
    private final String host;
    private final int port;
    private final String user;
    private final String password;

    ExternalPrimary(String host, int port, String user, String password) {
        this.host = host;
        this.port = port;
        this.user = user;
        this.password = password;
    }

    @Override
    public String host() {
        return host;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public void start() {
        throw new DevDbException("primary " + host + ":" + port + " is run by another devdb; start it there");
    }

    @Override
    public void stop() {
        // Not ours: the devdb that runs it stops it.
    }

    @Override
    public boolean isRunning() {
        return true;
    }

    /** The application account: enough to read {@code @@gtid_binlog_pos}, not to administer. */
    /** Not ours to know: it runs in another devdb, maybe on another machine. */
    @Override
    public java.util.OptionalLong pid() {
        return java.util.OptionalLong.empty();
    }

    @Override
    public Connection adminConnection() throws SQLException {
        return DriverManager.getConnection(JdbcUrls.admin(host, port), user, password);
    }

    @Override
    public String hostSeenByReplicas() {
        return host;
    }

    @Override
    public int portSeenByReplicas() {
        return port;
    }
}
