package com.foobar.devdb;

import java.util.OptionalLong;

/** One database server of a {@link DevDb}: the primary or a replica. */
public interface DbNode {
    /** {@code "primary"}, {@code "replica-1"}, {@code "replica-2"}... */
    String name();

    /** Host to connect to from this machine (always a loopback address). */
    String host();

    int port();

    /** A Connector/J URL for the application database on this node. */
    String jdbcUrl();

    /** The node's {@code @@server_id}: tests use it to prove which node served a query. */
    int serverId();

    /** Stops the server cleanly (its data stays). Does nothing when already stopped. */
    void stop();

    /**
     * Starts a stopped server again on the same port and data; a replica resumes replicating by itself, and a primary
     * that was stopped with {@link #stop()} takes writes again. A server that crashed (died on its own) comes back
     * read-only: whether it is still the primary is not devdb's to decide after a crash.
     */
    void start();

    boolean isRunning();

    /**
     * The operating-system process id of the server while it runs (embedded MariaDB: the {@code mariadbd}); empty
     * for a container or a stopped server. Fault injection kills it ({@code kill -9}) to crash the server.
     */
    OptionalLong pid();
}
