package com.foobar.dbrouter;

/**
 * What a node is, as the router sees it from what the node itself reports ({@code read_only}, {@code super_read_only},
 * replication status), never from the configuration: the configured primary is only a name and a first guess.
 * ProxySQL's replication hostgroups decide the same way (writer = {@code read_only=0}); this model adds the
 * replication state, so a writable node that still replicates is not taken for a writer.
 */
public enum NodeRole {
    /** Writable and replicating from no one: where writes go when it is the only one. */
    WRITER("writer"),
    /** Replicating (I/O or SQL thread running); may take reads when healthy and within the lag bound. */
    REPLICA("replica"),
    /** Answers, but is read-only and does not replicate: fenced (an old primary before it is re-attached). */
    READ_ONLY("read_only"),
    /** Does not answer the monitor. */
    DOWN("down");

    private final String tag;

    NodeRole(String tag) {
        this.tag = tag;
    }

    /** The value of the {@code role} tag on {@code db.router.node.role}. */
    public String tag() {
        return tag;
    }
}
