package com.foobar.dbrouter;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides every node's role from what the nodes report, and nothing else: no I/O, no state, so it is tested alone.
 *
 * <ul>
 *   <li>Writer: up, writable ({@code read_only=0}, and {@code super_read_only=0} on MySQL) and not replicating. As
 *       ProxySQL's {@code mysql_replication_hostgroups} put the node with {@code read_only=0} in the writer
 *       hostgroup; unlike ProxySQL, a writable node that still replicates is a (misconfigured) replica, since
 *       writing there would fork it from its source.</li>
 *   <li>One writer: writes go there. None: refused (a switch is under way, or the writer is down). Several: split
 *       brain, refused; never one picked at random.</li>
 *   <li>Replica: replicating. It takes reads when its lag is known and within the bound, and, when there is a
 *       writer, when it replicates from the writer (directly or through replicas): a replica still attached to a
 *       fenced old primary reports lag 0 but receives nothing new. With no writer, a replica whose I/O thread lost
 *       its source keeps serving what it applied (nothing newer exists). With a writer, a replica whose lag just
 *       became unknown ({@code NULL}: its I/O thread lost the source) is as stale as its last known lag plus the
 *       time since that was seen, at most: it keeps taking reads while that bound is within the lag limit. This is
 *       what carries reads through the seconds in which a primary has died but the monitor still waits for its
 *       answer (a dead host that sends no reset), instead of sending them to the dead writer. ProxySQL assumes a
 *       fixed lag for {@code NULL} ({@code mysql-monitor_slave_lag_when_null}, 60 s); a bound that grows with time
 *       is stricter and needs no setting.</li>
 *   <li>Read-only: answers, read-only, not replicating (a fenced old primary before it is re-attached): no
 *       traffic.</li>
 * </ul>
 */
final class TopologyJudge {
    private final Duration maxReplicationLag;

    TopologyJudge(Duration maxReplicationLag) {
        this.maxReplicationLag = maxReplicationLag;
    }

    /**
     * One node's name and latest observation, in configuration order.
     *
     * @param lastLag its last known (non-NULL) lag and how long ago it was seen; null when never seen
     */
    record Input(String name, NodeObservation observation, LagSample lastLag) {
        Input(String name, NodeObservation observation) {
            this(name, observation, null);
        }
    }

    /** A replica's lag as a check saw it, {@code age} ago. */
    record LagSample(long seconds, Duration age) {
        /** The most this replica can be behind now: what it was behind then, plus the time since (whole seconds). */
        long boundNow() {
            return seconds + (age.toMillis() + 999) / 1000;
        }
    }

    Topology judge(List<Input> nodes, String lastWriter) {
        Map<String, NodeRole> roles = new LinkedHashMap<>();
        List<String> writable = new ArrayList<>();
        Map<Long, Input> byServerId = new HashMap<>();
        for (Input n : nodes) {
            NodeRole role = roleOf(n.observation());
            roles.put(n.name(), role);
            if (role == NodeRole.WRITER) {
                writable.add(n.name());
            }
            if (n.observation().serverId() > 0) {
                byServerId.putIfAbsent(n.observation().serverId(), n);
            }
        }
        WriterState state = writable.size() == 1 ? WriterState.ONE_WRITER
                : writable.isEmpty() ? WriterState.NO_WRITER : WriterState.SPLIT_BRAIN;
        String writer = state == WriterState.ONE_WRITER ? writable.get(0) : null;
        Map<String, Topology.Verdict> verdicts = new LinkedHashMap<>();
        for (Input n : nodes) {
            verdicts.put(n.name(), verdict(n, roles.get(n.name()), state, writer, roles, byServerId));
        }
        return new Topology(state, writer, writable, verdicts, writer != null ? writer : lastWriter);
    }

    static NodeRole roleOf(NodeObservation o) {
        if (!o.up()) {
            return NodeRole.DOWN;
        }
        if (o.replicating()) {
            return NodeRole.REPLICA;
        }
        return o.readOnly() ? NodeRole.READ_ONLY : NodeRole.WRITER;
    }

    private Topology.Verdict verdict(Input n, NodeRole role, WriterState state, String writer,
                                     Map<String, NodeRole> roles, Map<Long, Input> byServerId) {
        NodeObservation o = n.observation();
        NodeObservation.Replication r = o.replication();
        long lag = r.lagSeconds() == null ? -1 : r.lagSeconds();
        switch (role) {
            case DOWN:
                return new Topology.Verdict(role, false, o.error(), -1);
            case WRITER:
                return new Topology.Verdict(role, false, "", -1);
            case READ_ONLY:
                if (n.lastLag() != null && Duration.ofSeconds(n.lastLag().boundNow()).compareTo(maxReplicationLag) <= 0) {
                    // A replica that stopped replicating moments ago (the decider stops it to promote it, before it
                    // turns writable) holds what it held then: as stale as the same bound allows, and still readable.
                    // A fenced old primary has no recent lag, so it never takes reads this way.
                    return new Topology.Verdict(role, true, "", n.lastLag().boundNow());
                }
                return new Topology.Verdict(role, false, "read-only and not replicating ("
                        + (r.configured() ? "replication stopped: I/O thread " + r.ioRunning() + ", SQL thread "
                        + r.sqlRunning() : "no replication configured") + ")", -1);
            default:
                break;
        }
        Flavor flavor = o.flavor() == null ? Flavor.MARIADB : o.flavor();
        if (r.lagSeconds() == null) {
            if (r.sqlThreadRunning() && state != WriterState.ONE_WRITER) {
                // The I/O thread cannot reach a source that is gone, and no node takes writes: nothing newer exists
                // anywhere, so what this replica applied is the freshest data there is. Reads go on here.
                return new Topology.Verdict(role, true, "", -1);
            }
            // NULL: the I/O or SQL thread is not running, so the replica falls behind by an amount nobody reports;
            // only time since its last known lag bounds it.
            if (n.lastLag() == null || Duration.ofSeconds(n.lastLag().boundNow()).compareTo(maxReplicationLag) > 0) {
                return new Topology.Verdict(role, false, "replication broken (" + flavor.lagColumn() + " is NULL, I/O"
                        + " thread " + r.ioRunning() + ", SQL thread " + r.sqlRunning() + ")", -1);
            }
            lag = n.lastLag().boundNow();
        }
        if (Duration.ofSeconds(lag).compareTo(maxReplicationLag) > 0) {
            return new Topology.Verdict(role, false, "lag " + lag + " s is above maxReplicationLag "
                    + maxReplicationLag.toMillis() + " ms", lag);
        }
        if (writer != null) {
            String problem = notFollowing(o, writer, roles, byServerId);
            if (problem != null) {
                return new Topology.Verdict(role, false, problem, lag);
            }
        }
        return new Topology.Verdict(role, true, "", lag);
    }

    /**
     * Why {@code o} does not get the writer's changes, or null when it does (directly or through replicas) or when
     * its source is not a configured node (then nothing can be said, and the lag decides).
     */
    private static String notFollowing(NodeObservation o, String writer, Map<String, NodeRole> roles,
                                       Map<Long, Input> byServerId) {
        long source = o.replication().sourceServerId();
        Set<String> seen = new HashSet<>();
        while (source > 0) {
            Input s = byServerId.get(source);
            if (s == null || s.name().equals(writer)) {
                return null;
            }
            NodeRole sourceRole = roles.get(s.name());
            if (sourceRole != NodeRole.REPLICA || !seen.add(s.name())) {
                return "replicates from " + s.name() + " (server_id " + source + ", " + sourceRole.tag()
                        + "), not from the writer " + writer + ": it gets no new writes";
            }
            source = s.observation().replication().sourceServerId();
        }
        return null;
    }
}
