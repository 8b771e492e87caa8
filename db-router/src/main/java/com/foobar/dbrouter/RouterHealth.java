package com.foobar.dbrouter;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What the router's monitor last saw, for a readiness endpoint.
 *
 * @param primaryUp whether writes can go through
 * @param replicas every configured replica, usable or not
 */
public record RouterHealth(boolean primaryUp, List<ReplicaHealth> replicas) {
    public RouterHealth {
        replicas = List.copyOf(replicas);
    }

    /** Replicas reads go to right now. */
    public long usableReplicas() {
        return replicas.stream().filter(ReplicaHealth::usable).count();
    }

    /** Whether some node can serve reads (a usable replica, or the primary when it takes reads). */
    public boolean readable(boolean primaryAcceptsReads) {
        return usableReplicas() > 0 || (primaryAcceptsReads && primaryUp);
    }

    /**
     * @param name   "replica-1", ...
     * @param up     the server answers
     * @param usable reads may go there: up, replicating, and lag within {@code maxReplicationLag}
     * @param lag    last {@code Seconds_Behind_Master/Source}; empty when unknown or replication is broken
     * @param reason why it is not usable; empty when usable
     */
    public record ReplicaHealth(String name, boolean up, boolean usable, Optional<Duration> lag, String reason) {
    }
}
