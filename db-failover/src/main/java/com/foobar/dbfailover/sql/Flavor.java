package com.foobar.dbfailover.sql;

import com.foobar.dbfailover.probe.Reading;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * The statements where MariaDB and MySQL 8.4 differ, for every step of a failover. MariaDB is what this project
 * proves against real servers; the MySQL statements follow the MySQL 8.4 reference manual and are checked by unit
 * tests only (see the README).
 */
public interface Flavor {

    static Flavor mariadb() {
        return MariaDbFlavor.INSTANCE;
    }

    static Flavor mysql() {
        return MySqlFlavor.INSTANCE;
    }

    /** From the version the server gives in its handshake ({@code 11.4.5-MariaDB-log}, {@code 8.4.3}). */
    static Flavor fromVersion(String version) {
        return version != null && version.contains("MariaDB") ? mariadb() : mysql();
    }

    /** {@code mariadb} or {@code mysql}. */
    String name();

    /** Reads everything a decision needs, in as few round trips as the flavor allows. */
    Reading read(Connection c) throws SQLException;

    /**
     * Makes the node refuse writes from anyone but replication. Sent first on every connection to a demoted primary.
     * MySQL persists it ({@code SET PERSIST}) so that a restart keeps the node fenced.
     */
    List<String> fence();

    /** Makes the node writable (the last step of a promotion). */
    List<String> makeWritable();

    /** The primary side of semi-sync on or off. */
    List<String> semiSyncSource(boolean on);

    /** The replica side of semi-sync on (it takes effect when the receiver thread starts). */
    List<String> semiSyncReplica();

    /** Stops receiving from the source (the applier goes on with what was received). */
    String stopReceiving();

    /** Resumes receiving (after a promotion was called off). */
    String startReceiving();

    /** Starts the applier alone (a promotion candidate must apply its relay log). */
    String startApplying();

    /** Removes a configured replication delay; replication must be stopped. */
    String removeDelay();

    String stopReplication();

    /** Forgets the source entirely: the node replicates from nobody. */
    String resetReplication();

    /**
     * Run on a former primary (never a replica) before it is attached: MariaDB replicates from {@code gtid_slave_pos},
     * which on a former primary is stale, so it is set to what the binlog has. MySQL's auto-position needs nothing.
     */
    List<String> alignBeforeAttach();

    /** Points replication at a new source, positioned by GTID. */
    String changeSource(String host, int port, String user, String password, boolean ssl);

    String startReplication();

    /**
     * A query with two parameters (GTIDs, timeout in seconds) that waits until the node has applied those GTIDs and
     * returns one integer, 0 once they are.
     */
    String waitForApplied();

    /** A string literal for SQL: quotes and backslashes escaped. */
    static String literal(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'";
    }
}
