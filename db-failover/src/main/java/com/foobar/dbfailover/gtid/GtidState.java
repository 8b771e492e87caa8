package com.foobar.dbfailover.gtid;

/**
 * What one node has of the replication stream, in its flavor's GTID model: MariaDB's domain-server-sequence
 * positions ({@link MariaDbGtidState}) or MySQL's GTID sets ({@link MySqlGtidState}).
 */
public sealed interface GtidState permits MariaDbGtidState, MySqlGtidState {
    /** What it has committed (MariaDB {@code gtid_current_pos}; MySQL {@code gtid_executed}). */
    String executed();

    /**
     * What it has, counting transactions received into the relay log and not applied yet (MariaDB {@code Gtid_IO_Pos}
     * merged with {@code gtid_current_pos}; MySQL {@code Retrieved_Gtid_Set} merged with {@code gtid_executed}).
     * A replica promoted applies these first, so this is what it will have as the primary.
     */
    String received();

    /** Whether it has received transactions it has not applied yet. */
    boolean hasUnapplied();

    /** Compares what the two have received: how replicas are ranked for promotion. */
    Progress compareReceived(GtidState other);

    /** Compares what the two have committed. */
    Progress compareExecuted(GtidState other);

    /** The transactions this node has committed that {@code primary} lacks. */
    Errant errantAgainst(GtidState primary);

    /** A number that grows with the history, to rank diverged candidates (sum of sequence numbers, or a count). */
    long size();
}
