package com.foobar.dbfailover.probe;

/**
 * A replica's replication, from {@code SHOW SLAVE STATUS} / {@code SHOW REPLICA STATUS}.
 *
 * @param sourceHost     where it replicates from, as configured on it
 * @param ioState        the receiver thread: {@code Yes} (connected), {@code Connecting}, {@code No}
 * @param sqlRunning     whether the applier thread runs
 * @param secondsBehind  lag as the server reports it; null when unknown (a thread stopped)
 * @param sqlDelay       configured delay in seconds ({@code MASTER_DELAY})
 */
public record Replication(String sourceHost, int sourcePort, String ioState, boolean sqlRunning, String lastIoError,
                          String lastSqlError, Long secondsBehind, long sqlDelay) {

    /** Whether the receiver is connected to its source right now: the replica still hears from it. */
    public boolean connected() {
        return "Yes".equalsIgnoreCase(ioState);
    }

    public String source() {
        return sourceHost + ":" + sourcePort;
    }

    /**
     * Whether a thread stopped on an error, rather than by a STOP; a receiver that is {@code Connecting} retries by
     * itself and is not broken.
     */
    public boolean broken() {
        return (!sqlRunning && !lastSqlError.isEmpty()) || ("No".equalsIgnoreCase(ioState) && !lastIoError.isEmpty());
    }

    /** The error that stopped it, for a report. */
    public String error() {
        return !lastSqlError.isEmpty() ? "applier: " + lastSqlError : lastIoError.isEmpty() ? "" : "receiver: " + lastIoError;
    }
}
