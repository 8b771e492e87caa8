package com.foobar.dbrouter;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The router's decision about every node at one moment, made by {@link TopologyJudge} from what the nodes reported.
 * Immutable: a new one is published after each check.
 *
 * @param state      whether there is exactly one writer
 * @param writer     the writer's name when {@code state} is {@link WriterState#ONE_WRITER}, else null
 * @param writable   the nodes that are writable and replicate from no one (more than one: split brain)
 * @param verdicts   per node name, in configuration order
 * @param lastWriter the most recent writer (or the configured primary before any), for "the writer is down"
 */
record Topology(WriterState state, String writer, List<String> writable, Map<String, Verdict> verdicts,
                String lastWriter) {

    Topology {
        writable = List.copyOf(writable);
        verdicts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(verdicts));
    }

    /**
     * What the router makes of one node.
     *
     * @param role       its role
     * @param readable   reads may go there as a replica: up, replicating, in the lag bound, following the writer
     * @param reason     why it takes no reads (or why it is down); empty when readable or when it is the writer
     * @param lagSeconds last {@code Seconds_Behind_Master/Source}, -1 when unknown
     */
    record Verdict(NodeRole role, boolean readable, String reason, long lagSeconds) {
    }

    Optional<String> writerName() {
        return Optional.ofNullable(writer);
    }

    /**
     * Where reads go when no replica can take them: the writer; in split brain, the last writer if it is one of
     * the writable nodes (it holds everything written through the router, which writes to neither any more).
     */
    String readFallback() {
        if (writer != null) {
            return writer;
        }
        return state == WriterState.SPLIT_BRAIN && writable.contains(lastWriter) ? lastWriter : null;
    }

    Verdict verdict(String node) {
        return verdicts.get(node);
    }

    /** Same writer state, writer and roles: lag and usability changes are not topology changes. */
    boolean sameRoles(Topology other) {
        if (other == null || state != other.state || !java.util.Objects.equals(writer, other.writer)
                || !writable.equals(other.writable) || !verdicts.keySet().equals(other.verdicts.keySet())) {
            return false;
        }
        for (Map.Entry<String, Verdict> e : verdicts.entrySet()) {
            if (e.getValue().role() != other.verdicts.get(e.getKey()).role()) {
                return false;
            }
        }
        return true;
    }

    /** The refusal a write meets in this topology; null when there is a writer. */
    WriteRefusal refusal() {
        if (state == WriterState.ONE_WRITER) {
            return null;
        }
        if (state == WriterState.SPLIT_BRAIN) {
            return WriteRefusal.SPLIT_BRAIN;
        }
        Verdict last = lastWriter == null ? null : verdicts.get(lastWriter);
        return last != null && last.role() == NodeRole.DOWN ? WriteRefusal.WRITER_DOWN : WriteRefusal.NO_WRITER;
    }

    /** One line for a refused write: what the nodes are, so the reader knows which state the cluster is in. */
    String refusalMessage() {
        WriteRefusal r = refusal();
        if (r == null) {
            return "";
        }
        switch (r) {
            case SPLIT_BRAIN:
                return "split brain: " + writable.size() + " nodes are writable and replicate from no one ("
                        + String.join(", ", writable) + "); writes are refused until all but one are read-only";
            case WRITER_DOWN:
                return lastWriter + " is down: " + verdicts.get(lastWriter).reason() + "; no other node is writable"
                        + others(lastWriter);
            default:
                return "no writable node (a switchover or failover is under way?): " + describe();
        }
    }

    private String others(String except) {
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, Verdict> e : verdicts.entrySet()) {
            if (!e.getKey().equals(except)) {
                parts.add(e.getKey() + " " + e.getValue().role().tag());
            }
        }
        return parts.isEmpty() ? "" : " (" + String.join(", ", parts) + ")";
    }

    /** {@code primary writer, replica-1 replica, replica-2 down}. */
    String describe() {
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, Verdict> e : verdicts.entrySet()) {
            parts.add(e.getKey() + " " + e.getValue().role().tag());
        }
        return String.join(", ", parts);
    }
}
