package com.foobar.dbfailover.probe;

import com.foobar.dbfailover.gtid.GtidState;
import java.time.Duration;

/**
 * What one probe read from a node that answered.
 *
 * @param readOnly     {@code read_only} (for MySQL also true when {@code super_read_only} is)
 * @param uptime       since the server started: a restart shows as an uptime shorter than the time since it was last seen
 * @param replication  null when it replicates from nobody
 */
public record Reading(String version, long serverId, boolean readOnly, Duration uptime, Replication replication,
                      GtidState gtid, SemiSync semiSync) {

    public boolean replicates() {
        return replication != null;
    }

    /** Writable and replicating from nobody: what db-router takes for the writer. */
    public boolean isWriter() {
        return !readOnly && replication == null;
    }
}
