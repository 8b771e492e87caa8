package com.foobar.dbfailover.probe;

/**
 * Semi-synchronous replication on one node.
 *
 * @param available      whether the server has it (MariaDB: built in; MySQL: the plugins are installed)
 * @param sourceEnabled  the primary side is switched on ({@code rpl_semi_sync_master/source_enabled})
 * @param sourceActive   the primary side is in effect now; off after a timeout without acknowledgement, until a
 *                       replica catches up ({@code Rpl_semi_sync_*_status})
 * @param sourceClients  semi-sync replicas connected to it
 * @param replicaEnabled the replica side is switched on
 */
public record SemiSync(boolean available, boolean sourceEnabled, boolean sourceActive, long sourceClients,
                       boolean replicaEnabled) {
    public static final SemiSync UNAVAILABLE = new SemiSync(false, false, false, 0, false);
}
