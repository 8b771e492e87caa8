package com.foobar.dbrouter;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What the router's monitor last saw, for a readiness endpoint or a status page.
 *
 * @param writerState  whether there is exactly one writer
 * @param writer       the writer's name, when there is one
 * @param writeProblem why writes are refused now (one line); empty when they go through
 * @param nodes        every configured node, in configuration order
 */
public record RouterHealth(WriterState writerState, Optional<String> writer, String writeProblem, List<NodeHealth> nodes) {
    public RouterHealth {
        nodes = List.copyOf(nodes);
    }

    /** Whether writes can go through: exactly one writer, which answers. */
    public boolean primaryUp() {
        return writerState == WriterState.ONE_WRITER;
    }

    /** Every node but the writer, in configuration order: the ones that may serve reads. */
    public List<NodeHealth> replicas() {
        return nodes.stream().filter(n -> writer.map(w -> !w.equals(n.name())).orElse(true)).toList();
    }

    /** Nodes reads go to right now (the writer aside). */
    public long usableReplicas() {
        return nodes.stream().filter(NodeHealth::usable).count();
    }

    /** Whether some node can serve reads (a usable replica, or the writer when it takes reads). */
    public boolean readable(boolean primaryAcceptsReads) {
        return usableReplicas() > 0 || (primaryAcceptsReads && primaryUp());
    }

    /**
     * @param name   "primary", "replica-1", "node-1"...: the configured name, which does not change with the role
     * @param role   what the node is now
     * @param up     the server answers
     * @param usable reads may go there as a replica: up, replicating, lag within {@code maxReplicationLag}, following
     *               the writer
     * @param lag    last {@code Seconds_Behind_Master/Source}; empty when unknown or not replicating
     * @param reason why it takes no reads (or why it is down); empty when usable and for the writer
     */
    public record NodeHealth(String name, NodeRole role, boolean up, boolean usable, Optional<Duration> lag,
                             String reason) {
    }
}
