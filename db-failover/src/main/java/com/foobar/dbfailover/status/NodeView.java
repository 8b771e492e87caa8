package com.foobar.dbfailover.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * One node as {@code /api/status} shows it.
 *
 * @param role  {@code primary}, {@code replica}, {@code fenced} (a demoted primary, fenced, waiting to be
 *              re-attached), {@code refused} (fenced and not re-attached: errant transactions), {@code detached}
 *              (read-only, replicating from nobody), {@code extra-writer} (writable besides the primary), {@code unknown}
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record NodeView(
        @JsonProperty("name") String name,
        @JsonProperty("address") String address,
        @JsonProperty("role") String role,
        @JsonProperty("up") boolean up,
        @JsonProperty("error") String error,
        @JsonProperty("last_answer") Instant lastAnswer,
        @JsonProperty("silent_seconds") double silentSeconds,
        @JsonProperty("probe_seconds") double probeSeconds,
        @JsonProperty("version") String version,
        @JsonProperty("server_id") Long serverId,
        @JsonProperty("uptime_seconds") Long uptimeSeconds,
        @JsonProperty("read_only") Boolean readOnly,
        @JsonProperty("fenced_on_contact") boolean fencedOnContact,
        @JsonProperty("replication") ReplicationView replication,
        @JsonProperty("gtid_executed") String gtidExecuted,
        @JsonProperty("gtid_received") String gtidReceived,
        @JsonProperty("semi_sync") SemiSyncView semiSync,
        @JsonProperty("errant") String errant,
        @JsonProperty("errant_transactions") long errantTransactions) {

    /** Replication of a replica; null for a node that replicates from nobody. */
    public record ReplicationView(
            @JsonProperty("source") String source,
            @JsonProperty("source_node") String sourceNode,
            @JsonProperty("io_thread") String ioThread,
            @JsonProperty("sql_thread_running") boolean sqlRunning,
            @JsonProperty("seconds_behind") Long secondsBehind,
            @JsonProperty("delay_seconds") long delaySeconds,
            @JsonProperty("error") String error) {
    }

    public record SemiSyncView(
            @JsonProperty("available") boolean available,
            @JsonProperty("source_enabled") boolean sourceEnabled,
            @JsonProperty("source_active") boolean sourceActive,
            @JsonProperty("source_clients") long sourceClients,
            @JsonProperty("replica_enabled") boolean replicaEnabled) {
    }
}
