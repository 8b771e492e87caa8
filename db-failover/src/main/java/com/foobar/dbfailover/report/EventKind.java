package com.foobar.dbfailover.report;

import java.util.Locale;

/** The kinds of events, each a label on the console and in {@code db_failover_events_total{kind}}. */
public enum EventKind {
    /** The decider started, or found the primary. */
    WATCHING,
    PRIMARY_UNREACHABLE,
    PRIMARY_BACK,
    /** The primary is gone but a promotion may not happen (yet): replicas still connected to it, no candidate... */
    FAILOVER_HELD,
    PROMOTION_STARTED,
    /** The chosen replica applies what it had received before it is made writable. */
    CATCHING_UP,
    PROMOTED,
    PROMOTION_FAILED,
    PROMOTION_CALLED_OFF,
    REPLICA_REPOINTED,
    FENCED,
    REATTACHED,
    ERRANT_REFUSED,
    /** The primary restarted and came back read-only; nobody was promoted; it takes writes again. */
    WRITER_RESTORED,
    /** The primary is read-only and the decider will not change that (someone else set it). */
    NO_WRITER,
    SPLIT_BRAIN,
    SEMI_SYNC_DEGRADED,
    SEMI_SYNC_RESTORED,
    NODE_DOWN,
    NODE_UP,
    REPLICATION_BROKEN,
    /** A node replicates from nobody and is not the primary: left alone. */
    NODE_DETACHED,
    ACTION_FAILED;

    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
