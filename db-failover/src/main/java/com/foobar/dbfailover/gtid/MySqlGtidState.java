package com.foobar.dbfailover.gtid;

import java.util.List;

/**
 * A MySQL node's GTIDs.
 *
 * @param executedSet {@code gtid_executed}: what it has committed
 * @param retrieved {@code Retrieved_Gtid_Set} of {@code SHOW REPLICA STATUS}: what its receiver thread got; empty when
 *                  it is not a replica
 */
public record MySqlGtidState(MySqlGtidSet executedSet, MySqlGtidSet retrieved) implements GtidState {

    public static MySqlGtidState of(String executed, String retrieved) {
        return new MySqlGtidState(MySqlGtidSet.parse(executed), MySqlGtidSet.parse(retrieved));
    }

    private MySqlGtidSet receivedSet() {
        return executedSet.union(retrieved);
    }

    @Override
    public String executed() {
        return executedSet.toString();
    }

    @Override
    public String received() {
        return receivedSet().toString();
    }

    @Override
    public boolean hasUnapplied() {
        return !retrieved.minus(executedSet).isEmpty();
    }

    @Override
    public Progress compareReceived(GtidState other) {
        return receivedSet().compare(((MySqlGtidState) other).receivedSet());
    }

    @Override
    public Progress compareExecuted(GtidState other) {
        return executedSet.compare(((MySqlGtidState) other).executedSet);
    }

    /** The GTID set difference {@code gtid_executed(this) - gtid_executed(primary)}, Orchestrator's errant check. */
    @Override
    public Errant errantAgainst(GtidState primary) {
        MySqlGtidSet errant = executedSet.minus(((MySqlGtidState) primary).executedSet);
        return errant.isEmpty() ? Errant.NONE : new Errant(List.of(errant.toString()), errant.count());
    }

    @Override
    public long size() {
        return receivedSet().count();
    }
}
