package com.foobar.dbrouter;

/** Whether writes have somewhere to go: exactly one writable, non-replicating node. */
public enum WriterState {
    /** Exactly one writer: writes go there. */
    ONE_WRITER,
    /** No node is writable (a failover or switchover is under way, or the writer is down): writes are refused. */
    NO_WRITER,
    /**
     * More than one node is writable and replicates from no one. Writing to either could fork the data, and the
     * router cannot know which one the others follow next, so it writes to none until all but one are read-only.
     */
    SPLIT_BRAIN
}
