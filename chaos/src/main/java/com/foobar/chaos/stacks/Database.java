package com.foobar.chaos.stacks;

import java.io.IOException;
import java.util.List;
import java.util.Set;

/** The database nodes, seen directly (not through the shop): to count acknowledged writes and check roles. */
public interface Database {

    /** Every node's state now; a node that does not answer is listed as unreachable. */
    List<NodeState> nodes();

    /** The orders of these products, on the node that takes writes now (the writable node that does not replicate). */
    Set<Long> orderIds(java.util.Collection<Long> productIds) throws IOException;

    /**
     * One node.
     *
     * @param name             {@code db-primary}, {@code db-replica-1}, ...
     * @param reachable        it answered
     * @param readOnly         {@code @@read_only}
     * @param replicating      its replication threads both run
     * @param source           {@code host:port} it replicates from, empty if none
     * @param gtidBinlogState  {@code @@gtid_binlog_state} (MariaDB) or {@code @@gtid_executed} (MySQL)
     * @param error            why it is unreachable, empty otherwise
     */
    record NodeState(String name, boolean reachable, boolean readOnly, boolean replicating, String source,
                     String gtidBinlogState, String error) {
        public boolean writer() {
            return reachable && !readOnly && source.isEmpty();
        }
    }
}
