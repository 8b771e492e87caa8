package com.foobar.devdb;

/**
 * What devdb last made of a node. Every embedded server starts read-only (its configuration says so, as production
 * configurations should): the writer is made writable by devdb after it has looked at the topology, never by a
 * restart. So a server that crashed and came back stays read-only until a failover tool or a person decides.
 */
enum Role {
    /** Takes writes: writable, replicating from nobody. */
    WRITER,
    /** Read-only, replicating from the writer. */
    REPLICA,
    /** Read-only and left alone: restarted after a crash, or fenced by a failover tool when devdb last looked. */
    READ_ONLY
}
