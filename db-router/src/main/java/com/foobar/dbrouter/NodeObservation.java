package com.foobar.dbrouter;

/**
 * What one check of a node saw: whether it answered, who it is ({@code @@server_id}), whether it takes writes, and
 * its replication state. Immutable; the monitor replaces a node's observation at each check, the request path when a
 * call fails.
 *
 * @param up        the node answered
 * @param error     why it is down (empty when up)
 * @param serverId  {@code @@server_id}; the last known one while down, -1 when never seen
 * @param readOnly  {@code read_only} (or MySQL's {@code super_read_only}) is on
 * @param replication its replication state ({@link Replication#NONE} when none is configured)
 * @param flavor    the server kind, for the column names in messages; null while unknown
 */
record NodeObservation(boolean up, String error, long serverId, boolean readOnly, Replication replication, Flavor flavor) {
    static final long UNKNOWN_SERVER_ID = -1;

    static NodeObservation notChecked() {
        return new NodeObservation(false, "not checked yet", UNKNOWN_SERVER_ID, true, Replication.NONE, null);
    }

    static NodeObservation down(String why, long lastServerId, Flavor flavor) {
        return new NodeObservation(false, why, lastServerId, true, Replication.NONE, flavor);
    }

    static NodeObservation up(long serverId, boolean readOnly, Replication replication, Flavor flavor) {
        return new NodeObservation(true, "", serverId, readOnly, replication, flavor);
    }

    /** Replicating: an I/O or SQL thread runs (a stopped replication, even configured, does not count). */
    boolean replicating() {
        return up && replication.running();
    }

    /** The same, after the node refused a write as read-only: believed at once, until the next check says more. */
    NodeObservation asReadOnly() {
        return new NodeObservation(up, error, serverId, true, replication, flavor);
    }

    /**
     * One row of {@code SHOW SLAVE STATUS} / {@code SHOW REPLICA STATUS}.
     *
     * @param configured     a row exists (replication was set up; {@code RESET SLAVE ALL} removes it)
     * @param ioRunning      {@code Slave_IO_Running}: Yes, No or Connecting
     * @param sqlRunning     {@code Slave_SQL_Running}: Yes or No
     * @param lagSeconds     {@code Seconds_Behind_Master/Source}; null when a thread is not running or not connected
     * @param sourceServerId {@code Master_Server_Id/Source_Server_Id}: the server it replicates from (0 when it
     *                       never connected)
     */
    record Replication(boolean configured, String ioRunning, String sqlRunning, Long lagSeconds, long sourceServerId) {
        static final Replication NONE = new Replication(false, "No", "No", null, 0);

        boolean running() {
            return configured && (!"No".equalsIgnoreCase(ioRunning) || "Yes".equalsIgnoreCase(sqlRunning));
        }

        boolean sqlThreadRunning() {
            return "Yes".equalsIgnoreCase(sqlRunning);
        }
    }
}
