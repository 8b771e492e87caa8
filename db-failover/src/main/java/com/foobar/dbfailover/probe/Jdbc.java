package com.foobar.dbfailover.probe;

import com.foobar.dbfailover.config.FailoverConfig;
import com.foobar.dbfailover.config.NodeConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;

/** Connections to a node as the decider's account, bounded in time. */
public final class Jdbc {
    private Jdbc() {
    }

    /**
     * A new connection; connecting is bounded by {@code connect_timeout}, every statement on it by {@code timeout}
     * (Connector/J's socket timeout: a server that stops answering fails the statement rather than hanging it).
     */
    public static Connection connect(NodeConfig node, FailoverConfig config, Duration timeout) throws SQLException {
        String url = "jdbc:mysql://" + node.address() + "/?connectTimeout=" + config.connectTimeout().toMillis()
                + "&socketTimeout=" + timeout.toMillis() + "&tcpKeepAlive=true"
                + (config.jdbcOptions().isEmpty() ? "" : "&" + config.jdbcOptions());
        return DriverManager.getConnection(url, config.user(), config.password());
    }

    /** The first line of an error, for a report: the driver's messages run to many lines. */
    public static String oneLine(Throwable e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            return e.getClass().getSimpleName();
        }
        String first = m.lines().findFirst().orElse(m).trim();
        return first.length() > 300 ? first.substring(0, 300) + "..." : first;
    }
}
