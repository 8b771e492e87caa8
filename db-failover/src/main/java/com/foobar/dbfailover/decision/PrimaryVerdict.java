package com.foobar.dbfailover.decision;

import java.time.Duration;
import java.util.List;

/**
 * What the decider makes of the primary in one round. Immutable.
 *
 * @param silentFor  how long it has not answered (zero when it answers)
 * @param witnesses  the nodes that back the verdict: replicas still connected to a silent primary (a hold), or the
 *                   replicas ahead of a primary that restarted
 */
public record PrimaryVerdict(Kind kind, String reason, Duration silentFor, List<String> witnesses) {

    public enum Kind {
        /** Writable, replicating from nobody, answering. */
        HEALTHY,
        /** Not answering, for less than {@code failover_after}. */
        SILENT,
        /** Not answering for {@code failover_after}, but a replica is still connected to it: no promotion. */
        HELD,
        /** Gone: promote. */
        DEAD,
        /** It restarted and came back read-only (every node's configuration says so); nobody is ahead of it. */
        RESTARTED_READ_ONLY,
        /** It restarted read-only and a replica has more than it (a crash lost its unreplicated tail): promote that one. */
        RESTARTED_BEHIND,
        /** Read-only, but not by a restart: someone set it. */
        READ_ONLY,
        /** It replicates from another node: it is not a primary any more. */
        REPLICATING
    }

    public PrimaryVerdict {
        witnesses = List.copyOf(witnesses);
    }

    static PrimaryVerdict of(Kind kind, String reason) {
        return new PrimaryVerdict(kind, reason, Duration.ZERO, List.of());
    }
}
