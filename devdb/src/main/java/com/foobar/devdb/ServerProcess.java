package com.foobar.devdb;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.OptionalLong;

/** One running database server, however it is run (a local process or a container). */
interface ServerProcess {
    String host();

    int port();

    void start();

    void stop();

    boolean isRunning();

    /** The server's process id while it runs, where there is one on this machine. */
    OptionalLong pid();

    /** A privileged connection (no default schema), for setup and fault injection. */
    Connection adminConnection() throws SQLException;

    /** Host and port a replica uses to reach this server (differs from {@link #host()} for containers). */
    String hostSeenByReplicas();

    int portSeenByReplicas();
}
