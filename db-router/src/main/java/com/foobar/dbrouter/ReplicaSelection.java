package com.foobar.dbrouter;

/** How a read picks among the usable replicas. */
public enum ReplicaSelection {
    ROUND_ROBIN,
    /** The replica with the fewest connections currently handed out by this router; ties go round-robin. */
    LEAST_IN_USE
}
