package com.foobar.dbfailover.decision;

import com.foobar.dbfailover.config.FailoverConfig;
import com.foobar.dbfailover.config.NodeConfig;
import com.foobar.dbfailover.gtid.Progress;
import com.foobar.dbfailover.probe.NodeState;
import com.foobar.dbfailover.probe.Reading;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Judges the primary from the latest probes. No I/O: the decider's rules in one place, unit-tested.
 *
 * <p>The primary is dead when it has not answered a probe for {@code failover_after} and, with
 * {@code confirm_with_replicas} (the default), no reachable replica is still connected to it. The second condition is
 * Orchestrator's: the decider is one observer, and a replica still receiving from the primary means the decider is the
 * one cut off (or the primary hangs without closing its connections: replicas notice that within
 * {@code slave_net_timeout}). A primary that answers slowly, within {@code probe_timeout}, answers: it is not replaced.
 */
public final class PrimaryJudge {
    private final FailoverConfig config;

    public PrimaryJudge(FailoverConfig config) {
        this.config = config;
    }

    /**
     * @param since          when the decider started watching this primary (its silence counts from there when it
     *                       never answered)
     * @param lastWritableAt when the decider last saw it writable; null if never
     */
    public PrimaryVerdict judge(NodeConfig primary, Map<String, NodeState> states, Instant now, Instant since,
                                Instant lastWritableAt) {
        NodeState p = states.get(primary.name());
        List<NodeState> replicas = replicasOf(primary, states);
        if (p == null || !p.reachable()) {
            Duration silent = p == null ? Duration.between(since, now) : p.silentFor(now, since);
            String error = p == null ? "not probed yet" : p.error();
            if (silent.compareTo(config.failoverAfter()) < 0) {
                return new PrimaryVerdict(PrimaryVerdict.Kind.SILENT, error, silent, List.of());
            }
            List<String> connected = new ArrayList<>();
            for (NodeState r : replicas) {
                if (r.reading().replication().connected()) {
                    connected.add(r.name());
                }
            }
            if (config.confirmWithReplicas() && !connected.isEmpty()) {
                return new PrimaryVerdict(PrimaryVerdict.Kind.HELD, "unreachable from the decider for " + seconds(silent)
                        + " (" + error + "), but " + String.join(", ", connected) + " still "
                        + (connected.size() == 1 ? "receives" : "receive") + " from it: not failing over (the decider may"
                        + " be cut off from a healthy primary)", silent, connected);
            }
            return new PrimaryVerdict(PrimaryVerdict.Kind.DEAD, "unreachable for " + seconds(silent) + " (" + error + ")"
                    + (config.confirmWithReplicas()
                            ? replicas.isEmpty() ? "; no replica reachable to ask" : "; no replica receives from it either"
                            : ""), silent, List.of());
        }
        Reading r = p.reading();
        if (r.replicates()) {
            return PrimaryVerdict.of(PrimaryVerdict.Kind.REPLICATING, "it replicates from " + r.replication().source());
        }
        if (!r.readOnly()) {
            return PrimaryVerdict.of(PrimaryVerdict.Kind.HEALTHY, "writable");
        }
        boolean restarted = lastWritableAt != null && r.uptime().compareTo(Duration.between(lastWritableAt, now)) < 0;
        if (!restarted && !config.enforceWritablePrimary()) {
            return PrimaryVerdict.of(PrimaryVerdict.Kind.READ_ONLY, "read-only (not by a restart: up "
                    + seconds(r.uptime()) + "); writes fail until someone sets read_only=0 or fails over by hand");
        }
        // With enforce_writable_primary every node starts read-only, so a read-only primary is one that (re)started,
        // whether or not this decider saw it writable before: both are judged from what the replicas received.
        String how = restarted ? "it restarted (up " + seconds(r.uptime()) + ") and came back read-only"
                : "read-only (up " + seconds(r.uptime()) + ", enforce_writable_primary)";
        List<String> ahead = aheadOf(r, replicas);
        if (!ahead.isEmpty()) {
            return new PrimaryVerdict(PrimaryVerdict.Kind.RESTARTED_BEHIND, how + " without transactions "
                    + String.join(", ", ahead) + " received" + (restarted ? " (its crash recovery dropped them)" : ""),
                    Duration.ZERO, ahead);
        }
        return PrimaryVerdict.of(PrimaryVerdict.Kind.RESTARTED_READ_ONLY, how
                + "; no replica has anything it lacks and nobody was promoted");
    }

    /** The replicas that received something {@code primary} does not have. */
    private static List<String> aheadOf(Reading primary, List<NodeState> replicas) {
        List<String> ahead = new ArrayList<>();
        for (NodeState replica : replicas) {
            Progress progress = replica.reading().gtid().compareReceived(primary.gtid());
            if (progress == Progress.AHEAD || progress == Progress.DIVERGED) {
                ahead.add(replica.name());
            }
        }
        return ahead;
    }

    /** Reachable nodes replicating from {@code primary}. */
    static List<NodeState> replicasOf(NodeConfig primary, Map<String, NodeState> states) {
        List<NodeState> out = new ArrayList<>();
        for (NodeState s : states.values()) {
            if (!s.name().equals(primary.name()) && s.reachable() && s.reading().replicates()
                    && primary.isSource(s.reading().replication().sourceHost(), s.reading().replication().sourcePort())) {
                out.add(s);
            }
        }
        return out;
    }

    static String seconds(Duration d) {
        return String.format(java.util.Locale.ROOT, "%.1fs", d.toMillis() / 1000.0);
    }
}
