package com.foobar.dbrouter;

import java.time.Duration;

/**
 * Why a write was refused without being run (or stopped when a role change raced it). Each value is a tag of
 * {@code db.router.writes.refused{reason}} and carries how long a caller should wait before trying again.
 */
public enum WriteRefusal {
    /**
     * The node that was the writer does not answer, and no other node is writable. A failover decider promotes a
     * replica only after the primary has been unreachable for some seconds (db-failover: 5 s), so a retry sooner
     * than that finds the same state.
     */
    WRITER_DOWN("writer_down", Duration.ofSeconds(5)),
    /**
     * Every node that answers is read-only: a switchover or failover is between fencing the old writer and making
     * the new one writable. That takes a few statements; the router re-checks the nodes while a write waits.
     */
    NO_WRITER("no_writer", Duration.ofSeconds(1)),
    /** More than one node is writable; see {@link WriterState#SPLIT_BRAIN}. Needs a person or a decider to fence. */
    SPLIT_BRAIN("split_brain", Duration.ofSeconds(5)),
    /**
     * The writer refused the write because it had just become read-only (MySQL/MariaDB error 1290 for
     * {@code --read-only}/{@code --super-read-only}, or 1836): a role change raced the write. Nothing was written.
     */
    WRITER_TURNED_READ_ONLY("writer_turned_read_only", Duration.ofSeconds(1));

    private final String tag;
    private final Duration retryAfter;

    WriteRefusal(String tag, Duration retryAfter) {
        this.tag = tag;
        this.retryAfter = retryAfter;
    }

    /** The value of the {@code reason} tag on {@code db.router.writes.refused}. */
    public String tag() {
        return tag;
    }

    /** How long a client should wait before retrying: an HTTP {@code Retry-After}. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
