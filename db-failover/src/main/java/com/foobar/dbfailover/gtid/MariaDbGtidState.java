package com.foobar.dbfailover.gtid;

/**
 * A MariaDB node's GTIDs.
 *
 * @param currentPos  {@code gtid_current_pos}: what it has committed, written itself or applied as a replica
 * @param slavePos    {@code gtid_slave_pos}: what it applied as a replica (a promoted replica keeps it)
 * @param binlogState {@code gtid_binlog_state}: the last GTID of every domain and server in its binlog; with
 *                    {@code log_slave_updates} on, what it applied is in its binlog too, so this is the history the
 *                    errant check compares
 * @param ioPos       {@code Gtid_IO_Pos} of {@code SHOW SLAVE STATUS}: what its I/O thread received; empty when it
 *                    is not a replica
 */
public record MariaDbGtidState(MariaDbGtidList currentPos, MariaDbGtidList slavePos, MariaDbGtidList binlogState,
                               MariaDbGtidList ioPos) implements GtidState {

    public static MariaDbGtidState of(String currentPos, String slavePos, String binlogState, String ioPos) {
        return new MariaDbGtidState(MariaDbGtidList.parse(currentPos), MariaDbGtidList.parse(slavePos),
                MariaDbGtidList.parse(binlogState), MariaDbGtidList.parse(ioPos));
    }

    private MariaDbGtidList receivedPosition() {
        return currentPos.furthest(ioPos);
    }

    @Override
    public String executed() {
        return currentPos.toString();
    }

    @Override
    public String received() {
        return receivedPosition().toString();
    }

    @Override
    public boolean hasUnapplied() {
        return receivedPosition().compare(currentPos) == Progress.AHEAD;
    }

    @Override
    public Progress compareReceived(GtidState other) {
        return receivedPosition().compare(((MariaDbGtidState) other).receivedPosition());
    }

    @Override
    public Progress compareExecuted(GtidState other) {
        return currentPos.compare(((MariaDbGtidState) other).currentPos);
    }

    @Override
    public Errant errantAgainst(GtidState primary) {
        return binlogState.errantAgainst(((MariaDbGtidState) primary).binlogState);
    }

    @Override
    public long size() {
        return receivedPosition().size();
    }
}
