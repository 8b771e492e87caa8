package com.foobar.dbfailover.gtid;

import java.util.List;

/**
 * Transactions a node has that the primary lacks ("errant" in Orchestrator's words): written on the node while it was
 * a primary and never replicated, or written on a replica by hand. Such a node cannot replicate from the primary
 * without either losing them or corrupting the replica's data, so it is not re-attached.
 *
 * @param gtids the errant GTIDs, in the flavor's own notation (MariaDB: {@code 0-1-101..0-1-105}; MySQL: a GTID set)
 * @param transactions how many transactions that is (for MariaDB an upper bound: sequence numbers are shared by the
 *                     servers of a domain)
 */
public record Errant(List<String> gtids, long transactions) {
    public static final Errant NONE = new Errant(List.of(), 0);

    public Errant {
        gtids = List.copyOf(gtids);
    }

    public boolean any() {
        return !gtids.isEmpty();
    }

    @Override
    public String toString() {
        return any() ? String.join(",", gtids) : "none";
    }
}
