package com.foobar.dbfailover.decision;

import com.foobar.dbfailover.config.DatabaseFlavor;
import com.foobar.dbfailover.config.FailoverConfig;
import com.foobar.dbfailover.config.NodeConfig;
import com.foobar.dbfailover.config.SemiSyncMode;
import com.foobar.dbfailover.gtid.Errant;
import com.foobar.dbfailover.probe.Jdbc;
import com.foobar.dbfailover.probe.NodeProber;
import com.foobar.dbfailover.probe.NodeState;
import com.foobar.dbfailover.probe.Reading;
import com.foobar.dbfailover.probe.Replication;
import com.foobar.dbfailover.report.EventKind;
import com.foobar.dbfailover.report.EventLog;
import com.foobar.dbfailover.sql.Flavor;
import com.foobar.dbfailover.status.FailoverMetrics;
import com.foobar.dbfailover.status.NodeView;
import com.foobar.dbfailover.status.StatusSnapshot;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The one decider: every {@code check_interval} it takes the nodes' latest probes, judges the primary, and acts. All
 * decisions are made on this one thread, one after the other, so two never race; a promotion in progress holds the
 * next round back.
 *
 * <p>What it does, in the order of a failover:
 * <ol>
 *   <li>the primary stops answering: reported; after {@code failover_after} with no replica still connected to it
 *       ({@link PrimaryJudge}), a promotion starts;</li>
 *   <li>the replicas stop receiving (their positions freeze), the one that received the most is chosen
 *       ({@link CandidateRanking}) and applies its relay log; a last look at the old primary calls the promotion off
 *       if it answers now;</li>
 *   <li>the old primary is marked to be fenced on first contact; the chosen replica forgets its source, gets the
 *       semi-sync primary side; the other replicas are pointed at it by GTID; then it is made writable;</li>
 *   <li>when the old primary answers again it is made read-only before anything else ({@link NodeProber}), then
 *       compared with the new primary: without errant transactions it is attached as a replica; with them it is
 *       left read-only and alone, loudly, with the GTIDs.</li>
 * </ol>
 */
public final class Decider implements AutoCloseable {
    /** How often a refused node is looked at again, in case someone repaired it. */
    static final Duration REFUSED_RECHECK = Duration.ofSeconds(10);

    private final FailoverConfig config;
    private final Clock clock;
    private final EventLog events;
    private final FailoverMetrics metrics;
    private final Map<String, NodeProber> probers = new LinkedHashMap<>();
    private final AtomicReference<Flavor> flavor = new AtomicReference<>();
    private final Actions actions;
    private final PrimaryJudge judge;
    private final Thread thread;
    private final Instant startedAt;
    private volatile boolean closed;
    private volatile StatusSnapshot snapshot;

    // The decider's memory, touched by its own thread only.
    private String primary;
    private Instant primarySince;
    private Instant lastWritableAt;
    private Reading lastPrimaryReading;
    private boolean pendingWritable;
    private final Set<String> demoted = new LinkedHashSet<>();
    private final Map<String, Errant> refused = new LinkedHashMap<>();
    private final Map<String, Instant> refusedCheckedAt = new HashMap<>();
    private final Map<String, String> reported = new HashMap<>();
    private final Map<String, Boolean> wasUp = new HashMap<>();
    /** When the decider last changed a node: probes begun before that are stale for decisions about it. */
    private final Map<String, Instant> actedAt = new HashMap<>();
    private String state = "starting";
    private String detail = "waiting for the first probes";
    private long promotions;
    private StatusSnapshot.Promotion lastPromotion;

    public Decider(FailoverConfig config, Clock clock, EventLog events, FailoverMetrics metrics) {
        this.config = config;
        this.clock = clock;
        this.events = events;
        this.metrics = metrics;
        this.startedAt = clock.instant();
        if (config.flavor() == DatabaseFlavor.MARIADB) {
            flavor.set(Flavor.mariadb());
        } else if (config.flavor() == DatabaseFlavor.MYSQL) {
            flavor.set(Flavor.mysql());
        }
        for (NodeConfig n : config.nodes()) {
            probers.put(n.name(), new NodeProber(n, config, flavor, clock, metrics::probed));
        }
        this.actions = new Actions(config, flavor::get);
        this.judge = new PrimaryJudge(config);
        this.thread = new Thread(this::run, "decider");
        this.snapshot = buildSnapshot(currentStates());
    }

    public Decider start() {
        events.add(EventKind.WATCHING, "", "watching " + config.nodes().size() + " nodes ("
                + String.join(", ", config.nodes().stream().map(n -> n.name() + " " + n.address()).toList())
                + "); failover after " + PrimaryJudge.seconds(config.failoverAfter()) + " without the primary"
                + (config.confirmWithReplicas() ? ", confirmed by the replicas" : ""));
        probers.values().forEach(NodeProber::start);
        thread.start();
        return this;
    }

    public StatusSnapshot snapshot() {
        return snapshot;
    }

    private void run() {
        awaitFirstProbes();
        long interval = config.checkInterval().toNanos();
        while (!closed) {
            long t0 = System.nanoTime();
            try {
                round();
            } catch (RuntimeException e) {
                events.loud(EventKind.ACTION_FAILED, "", "the decider's round failed: " + Jdbc.oneLine(e));
            }
            snapshot = buildSnapshot(currentStates());
            long rest = interval - (System.nanoTime() - t0);
            if (rest > 0 && !closed) {
                LockSupport.parkNanos(this, rest);
            }
        }
    }

    /** The first round waits until every node was probed once (answered or not), so it starts from facts. */
    private void awaitFirstProbes() {
        long deadline = System.nanoTime() + config.connectTimeout().plus(config.probeTimeout()).plusSeconds(1).toNanos();
        while (!closed && System.nanoTime() < deadline) {
            boolean all = true;
            for (NodeProber p : probers.values()) {
                all &= !"not probed yet".equals(p.latest().error());
            }
            if (all) {
                return;
            }
            LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    private Map<String, NodeState> currentStates() {
        Map<String, NodeState> states = new LinkedHashMap<>();
        for (NodeProber p : probers.values()) {
            states.put(p.node().name(), p.latest());
        }
        return states;
    }

    /** One round: find or judge the primary, act on it, then on every other node. */
    void round() {
        Map<String, NodeState> states = currentStates();
        Instant now = clock.instant();
        reportUpDown(states);
        if (primary == null && !adoptPrimary(states, now)) {
            return;
        }
        NodeConfig p = config.node(primary);
        NodeState ps = states.get(primary);
        if (!fresh(ps)) {
            return;
        }
        if (ps.reachable() && ps.reading().isWriter()) {
            lastWritableAt = now;
            lastPrimaryReading = ps.reading();
        }
        PrimaryVerdict verdict = judge.judge(p, states, now, primarySince, lastWritableAt);
        switch (verdict.kind()) {
            case HEALTHY -> {
                boolean wasSilent = reported.remove("primary-silent") != null;
                if (reported.remove("held") != null || wasSilent) {
                    events.add(EventKind.PRIMARY_BACK, primary, "answers again, writable; no promotion was needed");
                }
                reported.remove("no-writer");
                setState("watching", primary + " is the primary");
                semiSyncHealth(ps);
            }
            case SILENT -> {
                setState("primary-unreachable", primary + " silent for " + PrimaryJudge.seconds(verdict.silentFor()));
                once("primary-silent", "x", () -> events.add(EventKind.PRIMARY_UNREACHABLE, primary, "does not answer ("
                        + verdict.reason() + "); a replica takes over after " + PrimaryJudge.seconds(config.failoverAfter())
                        + " without it unless it answers"));
            }
            case HELD -> {
                setState("failover-held", verdict.reason());
                once("held", String.join(",", verdict.witnesses()), () -> events.loud(EventKind.FAILOVER_HELD, primary,
                        verdict.reason()));
            }
            case DEAD -> {
                promote(p, verdict, true, states);
                return;
            }
            case RESTARTED_BEHIND -> {
                promote(p, verdict, false, states);
                return;
            }
            case RESTARTED_READ_ONLY, READ_ONLY -> {
                if (pendingWritable) {
                    finishPromotion(p);
                } else if (verdict.kind() == PrimaryVerdict.Kind.RESTARTED_READ_ONLY && noOtherWriter(states)) {
                    restoreWriter(p, verdict);
                } else {
                    setState("no-writer", primary + " is " + verdict.reason());
                    once("no-writer", verdict.reason(), () -> events.loud(EventKind.NO_WRITER, primary, verdict.reason()));
                }
            }
            case REPLICATING -> {
                setState("no-primary", primary + ": " + verdict.reason());
                once("replicating", verdict.reason(), () -> events.loud(EventKind.NO_WRITER, primary, "was the primary"
                        + " but " + verdict.reason() + "; looking for the primary again"));
                primary = null;
                return;
            }
            default -> throw new IllegalStateException(verdict.kind().toString());
        }
        otherNodes(currentStates(), now);
    }

    /** At the start (or when the primary became a replica): which node is the primary. */
    private boolean adoptPrimary(Map<String, NodeState> states, Instant now) {
        PrimaryInference inference = PrimaryInference.infer(config.nodes(), states);
        if (!inference.found()) {
            setState("no-primary", inference.reason());
            once("no-primary", inference.reason(), () -> events.loud(EventKind.FAILOVER_HELD, "",
                    "no primary: " + inference.reason() + "; nothing is done until one can be told"));
            return false;
        }
        reported.remove("no-primary");
        primary = inference.primary();
        primarySince = now;
        events.add(EventKind.WATCHING, primary, "is the primary: " + inference.reason());
        for (String other : inference.toFence()) {
            demote(other);
            events.loud(EventKind.SPLIT_BRAIN, other, "writable besides the primary " + primary + ": fenced (made"
                    + " read-only), then checked and re-attached as its replica unless it has errant transactions");
        }
        return true;
    }

    /** Whether the probe began after the decider last changed the node. */
    private boolean fresh(NodeState s) {
        Instant acted = actedAt.get(s.name());
        return acted == null || s.at().minus(s.took()).isAfter(acted);
    }

    private void acted(String node) {
        actedAt.put(node, clock.instant());
    }

    private void demote(String node) {
        acted(node);
        demoted.add(node);
        refused.remove(node);
        probers.get(node).fenceOnContact(true);
        reported.remove("fenced:" + node);
    }

    private boolean noOtherWriter(Map<String, NodeState> states) {
        for (NodeState s : states.values()) {
            if (!s.name().equals(primary) && s.reachable() && !s.reading().readOnly()) {
                return false;
            }
        }
        return true;
    }

    private void restoreWriter(NodeConfig p, PrimaryVerdict verdict) {
        acted(p.name());
        List<String> statements = new ArrayList<>();
        if (wantSemiSync(lastPrimaryReading)) {
            statements.addAll(actions.flavor().semiSyncSource(true));
        }
        statements.addAll(actions.flavor().makeWritable());
        try {
            actions.run(p, statements);
            lastWritableAt = clock.instant();
            reported.remove("primary-silent");
            reported.remove("held");
            events.add(EventKind.WRITER_RESTORED, primary, verdict.reason() + ": made writable again");
        } catch (SQLException e) {
            events.loud(EventKind.ACTION_FAILED, primary, "cannot make it writable again: " + Jdbc.oneLine(e));
        }
    }

    /**
     * Replaces {@code failed} with the replica that received the most.
     *
     * @param requireDead whether a last answer from {@code failed} calls it off (not so when it restarted behind a
     *                    replica: it answers, and is replaced all the same)
     */
    private void promote(NodeConfig failed, PrimaryVerdict verdict, boolean requireDead, Map<String, NodeState> states) {
        long t0 = System.nanoTime();
        Instant decidedAt = clock.instant();
        setState("promoting", "replacing " + failed.name() + ": " + verdict.reason());
        snapshot = buildSnapshot(states);
        List<NodeConfig> frozen = new ArrayList<>();
        for (NodeState s : PrimaryJudge.replicasOf(failed, states)) {
            if (!demoted.contains(s.name()) && !refused.containsKey(s.name())) {
                frozen.add(config.node(s.name()));
            }
        }
        if (frozen.stream().noneMatch(NodeConfig::candidate)) {
            setState("failover-held", failed.name() + " " + verdict.reason() + "; no replica that may be promoted answers");
            once("held", "no-candidate", () -> events.loud(EventKind.FAILOVER_HELD, failed.name(), verdict.reason()
                    + "; but no replica that may be promoted answers: nothing to promote"));
            return;
        }
        events.add(EventKind.PROMOTION_STARTED, failed.name(), verdict.reason() + "; promoting a replica");
        Flavor f = actions.flavor();
        Map<String, Reading> fresh = new LinkedHashMap<>();
        for (NodeConfig n : frozen) {
            acted(n.name());
            try {
                actions.run(n, f.stopReceiving());
                fresh.put(n.name(), actions.read(n));
            } catch (SQLException e) {
                events.add(EventKind.ACTION_FAILED, n.name(), "left out of the promotion: " + Jdbc.oneLine(e));
            }
        }
        List<NodeState> candidates = new ArrayList<>();
        for (NodeConfig n : frozen) {
            Reading r = fresh.get(n.name());
            if (n.candidate() && r != null && r.replicates() && r.replication().lastSqlError().isEmpty()) {
                candidates.add(new NodeState(n.name(), clock.instant(), r, null, clock.instant(), Duration.ZERO, false));
            }
        }
        if (candidates.isEmpty()) {
            events.loud(EventKind.PROMOTION_FAILED, failed.name(), "no candidate answered, or all have a broken applier;"
                    + " trying again");
            resume(fresh.keySet());
            return;
        }
        CandidateRanking ranking = CandidateRanking.rank(candidates);
        NodeConfig best = config.node(ranking.best());
        Reading br = fresh.get(best.name());
        try {
            if (!catchUp(best, br)) {
                resume(fresh.keySet());
                return;
            }
        } catch (SQLException e) {
            events.loud(EventKind.PROMOTION_FAILED, best.name(), "cannot apply its relay log: " + Jdbc.oneLine(e)
                    + "; trying again");
            resume(fresh.keySet());
            return;
        }
        if (requireDead && actions.answers(failed)) {
            events.add(EventKind.PROMOTION_CALLED_OFF, failed.name(), "answered at the last moment before the"
                    + " promotion of " + best.name() + ": keeping it as the primary");
            resume(fresh.keySet());
            return;
        }
        // From here on the old primary is replaced: whenever it answers again, it is fenced first.
        demote(failed.name());
        probers.get(best.name()).fenceOnContact(false);
        demoted.remove(best.name());
        boolean semiSync = wantSemiSync(lastPrimaryReading) || (config.semiSync() == SemiSyncMode.AUTO
                && fresh.values().stream().anyMatch(r -> r.semiSync().replicaEnabled()));
        List<String> detach = new ArrayList<>(List.of(f.stopReplication(), f.resetReplication()));
        if (semiSync) {
            detach.addAll(f.semiSyncSource(true));
        }
        Reading position;
        try {
            actions.run(best, detach);
            position = actions.read(best);
        } catch (SQLException e) {
            events.loud(EventKind.PROMOTION_FAILED, best.name(), "cannot detach it from " + failed.name() + ": "
                    + Jdbc.oneLine(e) + "; trying again");
            resume(fresh.keySet());
            return;
        }
        String old = primary;
        primary = best.name();
        primarySince = clock.instant();
        lastWritableAt = null;
        pendingWritable = true;
        List<String> repointed = new ArrayList<>();
        for (NodeConfig n : frozen) {
            if (n == best || !fresh.containsKey(n.name())) {
                continue;
            }
            Errant errant = fresh.get(n.name()).gtid().errantAgainst(position.gtid());
            if (errant.any()) {
                refuse(n.name(), errant, "replica " + n.name() + " has transactions " + best.name() + " lacks");
                continue;
            }
            try {
                actions.attach(n, best, false, semiSync);
                repointed.add(n.name());
            } catch (SQLException e) {
                events.loud(EventKind.ACTION_FAILED, n.name(), "cannot point it at " + best.name() + ": "
                        + Jdbc.oneLine(e) + " (tried again while it replicates from elsewhere)");
            }
        }
        try {
            actions.run(best, f.makeWritable());
        } catch (SQLException e) {
            events.loud(EventKind.PROMOTION_FAILED, best.name(), "detached but cannot be made writable: "
                    + Jdbc.oneLine(e) + "; trying again");
            return;
        }
        pendingWritable = false;
        lastWritableAt = clock.instant();
        for (NodeConfig n : frozen) {
            acted(n.name());
        }
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        promotions++;
        lastPromotion = new StatusSnapshot.Promotion(old, best.name(), clock.instant(), took.toMillis() / 1000.0,
                verdict.silentFor().toMillis() / 1000.0);
        metrics.promotionTook(took);
        reported.clear();
        setState("watching", best.name() + " is the primary");
        events.add(EventKind.PROMOTED, best.name(), "is the primary now, writable " + PrimaryJudge.seconds(took)
                + " after the decision (" + old + " " + verdict.reason() + "). Why " + best.name() + ": "
                + ranking.reason() + ". " + (repointed.isEmpty() ? "No other replica to repoint" : "Repointed to it: "
                + String.join(", ", repointed)) + (semiSync ? "; semi-sync primary side on" : "")
                + ". " + old + " is fenced when it answers again. Decided at " + decidedAt);
    }

    /** Makes the candidate apply what it received; false (reported) when it did not within catch_up_timeout. */
    private boolean catchUp(NodeConfig best, Reading r) throws SQLException {
        Replication rep = r.replication();
        if (!r.gtid().hasUnapplied() && rep.sqlRunning() && rep.sqlDelay() == 0) {
            return true;
        }
        Flavor f = actions.flavor();
        List<String> statements = new ArrayList<>();
        if (rep.sqlDelay() > 0) {
            statements.addAll(List.of(f.stopReplication(), f.removeDelay(), f.startApplying()));
        } else if (!rep.sqlRunning()) {
            statements.add(f.startApplying());
        }
        if (!statements.isEmpty()) {
            actions.run(best, statements);
        }
        events.add(EventKind.CATCHING_UP, best.name(), "applies what it received before it is promoted: received "
                + r.gtid().received() + ", applied " + r.gtid().executed()
                + (rep.sqlDelay() > 0 ? " (its " + rep.sqlDelay() + "s replication delay removed)" : "")
                + (!rep.sqlRunning() ? " (its applier was stopped: started)" : ""));
        if (actions.awaitApplied(best, r.gtid().received(), config.catchUpTimeout())) {
            return true;
        }
        events.loud(EventKind.PROMOTION_FAILED, best.name(), "has not applied its relay log within "
                + PrimaryJudge.seconds(config.catchUpTimeout()) + " (catch_up_timeout); not promoting it with"
                + " transactions it received but lacks; trying again");
        return false;
    }

    /** A promotion interrupted after the point of no return: finish it. */
    private void finishPromotion(NodeConfig p) {
        acted(p.name());
        try {
            actions.run(p, actions.flavor().makeWritable());
            pendingWritable = false;
            lastWritableAt = clock.instant();
            events.add(EventKind.PROMOTED, p.name(), "is writable now (the promotion's last step, retried)");
        } catch (SQLException e) {
            once("pending-writable", Jdbc.oneLine(e), () -> events.loud(EventKind.PROMOTION_FAILED, p.name(),
                    "still cannot be made writable: " + Jdbc.oneLine(e)));
        }
    }

    private void resume(Iterable<String> nodes) {
        for (String n : nodes) {
            try {
                actions.run(config.node(n), actions.flavor().startReceiving());
            } catch (SQLException e) {
                events.add(EventKind.ACTION_FAILED, n, "cannot resume receiving: " + Jdbc.oneLine(e));
            }
        }
    }

    private boolean wantSemiSync(Reading formerPrimary) {
        return config.semiSync() == SemiSyncMode.ON || (config.semiSync() == SemiSyncMode.AUTO && formerPrimary != null
                && formerPrimary.semiSync().sourceEnabled());
    }

    /** Every node but the primary: demoted ones re-attached or refused, strays repointed, oddities reported. */
    private void otherNodes(Map<String, NodeState> states, Instant now) {
        NodeState ps = states.get(primary);
        boolean primaryWrites = ps.reachable() && ps.reading().isWriter();
        NodeConfig p = config.node(primary);
        for (NodeConfig n : config.nodes()) {
            NodeState s = states.get(n.name());
            if (n.name().equals(primary) || !s.reachable() || !fresh(s)) {
                continue;
            }
            Reading r = s.reading();
            if (demoted.contains(n.name())) {
                if (!s.fenced()) {
                    continue;
                }
                once("fenced:" + n.name(), "x", () -> events.add(EventKind.FENCED, n.name(), "answers again: made"
                        + " read-only on first contact, before anything else; checking it for errant transactions"));
                if (primaryWrites) {
                    checkAndAttach(n, true, "the former primary");
                }
            } else if (refused.containsKey(n.name())) {
                Instant last = refusedCheckedAt.get(n.name());
                if (primaryWrites && (last == null || Duration.between(last, now).compareTo(REFUSED_RECHECK) >= 0)) {
                    refusedCheckedAt.put(n.name(), now);
                    checkAndAttach(n, !r.replicates(), "refused before");
                }
            } else if (!r.readOnly() && !r.replicates()) {
                events.loud(EventKind.SPLIT_BRAIN, n.name(), "writable besides the primary " + primary + ": fencing it"
                        + " (read-only), then checking it for errant transactions");
                demote(n.name());
            } else if (r.replicates() && !p.isSource(r.replication().sourceHost(), r.replication().sourcePort())) {
                if (primaryWrites) {
                    checkAndAttach(n, false, "it replicated from " + r.replication().source() + ", not the primary");
                }
            } else if (!r.replicates()) {
                once("detached:" + n.name(), "x", () -> events.add(EventKind.NODE_DETACHED, n.name(), "read-only and"
                        + " replicating from nobody, and not a primary the decider replaced: left alone (attach it by"
                        + " hand, or take it out of the configuration)"));
            } else if (r.replication().broken()) {
                once("broken:" + n.name(), r.replication().error(), () -> events.loud(EventKind.REPLICATION_BROKEN,
                        n.name(), "replication from " + primary + " stopped on an error: " + r.replication().error()));
            } else {
                reported.remove("broken:" + n.name());
                reported.remove("detached:" + n.name());
            }
        }
    }

    /** Errant check against the primary (fresh reads of both), then attach, or refuse loudly. */
    private void checkAndAttach(NodeConfig n, boolean formerPrimary, String why) {
        acted(n.name());
        NodeConfig p = config.node(primary);
        Reading node;
        Reading prim;
        try {
            node = actions.read(n);
            prim = actions.read(p);
        } catch (SQLException e) {
            events.add(EventKind.ACTION_FAILED, n.name(), "cannot compare it with " + primary + ": " + Jdbc.oneLine(e));
            return;
        }
        Errant errant = node.gtid().errantAgainst(prim.gtid());
        if (errant.any()) {
            if (!errant.equals(refused.get(n.name()))) {
                refuse(n.name(), errant, why);
            }
            return;
        }
        boolean semiSync = wantSemiSync(prim);
        try {
            actions.attach(n, p, formerPrimary, semiSync);
        } catch (SQLException e) {
            events.loud(EventKind.ACTION_FAILED, n.name(), "cannot attach it to " + primary + ": " + Jdbc.oneLine(e));
            return;
        }
        // Probes begun before the attach returned may still show it replicating from nobody.
        acted(n.name());
        boolean wasRefused = refused.remove(n.name()) != null;
        demoted.remove(n.name());
        probers.get(n.name()).fenceOnContact(false);
        reported.remove("fenced:" + n.name());
        events.add(formerPrimary || wasRefused ? EventKind.REATTACHED : EventKind.REPLICA_REPOINTED, n.name(),
                "replicates from " + primary + " now (by GTID), read-only: a read replica"
                        + (wasRefused ? " (it has no errant transactions any more)" : "")
                        + " [" + why + "; no errant transactions: it has nothing " + primary + " lacks]");
    }

    private void refuse(String node, Errant errant, String why) {
        acted(node);
        refused.put(node, errant);
        demoted.remove(node);
        probers.get(node).fenceOnContact(true);
        refusedCheckedAt.put(node, clock.instant());
        events.loud(EventKind.ERRANT_REFUSED, node, why + ": it has " + errant.transactions() + " transaction(s) the"
                + " primary " + primary + " lacks (errant GTIDs " + errant + "). NOT re-attached: it stays read-only"
                + " and alone. These writes were committed on " + node + " and never replicated; compare them with "
                + primary + ", re-apply what matters there, then rebuild " + node + " from " + primary
                + " (the decider re-attaches it once it has nothing " + primary + " lacks)");
    }

    private void semiSyncHealth(NodeState ps) {
        Reading r = ps.reading();
        if (!r.semiSync().sourceEnabled()) {
            reported.remove("semi-sync");
            return;
        }
        if (!r.semiSync().sourceActive()) {
            once("semi-sync", "off", () -> events.loud(EventKind.SEMI_SYNC_DEGRADED, primary, "semi-sync is on but not"
                    + " in effect (" + r.semiSync().sourceClients() + " semi-sync replica(s) connected): commits are"
                    + " acknowledged before a replica has them, and a failover now can lose acknowledged writes"));
        } else if ("off".equals(reported.get("semi-sync"))) {
            reported.put("semi-sync", "on");
            events.add(EventKind.SEMI_SYNC_RESTORED, primary, "semi-sync in effect again: commits wait for a replica");
        }
    }

    private void reportUpDown(Map<String, NodeState> states) {
        for (NodeState s : states.values()) {
            Boolean before = wasUp.put(s.name(), s.reachable());
            if (s.name().equals(primary) || before == null || before == s.reachable()) {
                continue;
            }
            if (s.reachable()) {
                events.add(EventKind.NODE_UP, s.name(), "answers again");
            } else {
                events.add(EventKind.NODE_DOWN, s.name(), "does not answer: " + s.error());
            }
        }
    }

    /** Runs {@code report} once per distinct {@code value} of {@code key}. */
    private void once(String key, String value, Runnable report) {
        if (!value.equals(reported.get(key))) {
            reported.put(key, value);
            report.run();
        }
    }

    private void setState(String state, String detail) {
        this.state = state;
        this.detail = detail;
    }

    private StatusSnapshot buildSnapshot(Map<String, NodeState> states) {
        Instant now = clock.instant();
        List<NodeView> views = new ArrayList<>();
        for (NodeConfig n : config.nodes()) {
            NodeState s = states.get(n.name());
            Reading r = s.reading();
            Errant errant = refused.getOrDefault(n.name(), Errant.NONE);
            NodeView.ReplicationView rv = null;
            if (r != null && r.replicates()) {
                Replication rep = r.replication();
                String sourceNode = null;
                for (NodeConfig c : config.nodes()) {
                    if (c.isSource(rep.sourceHost(), rep.sourcePort())) {
                        sourceNode = c.name();
                    }
                }
                rv = new NodeView.ReplicationView(rep.source(), sourceNode, rep.ioState(), rep.sqlRunning(),
                        rep.secondsBehind(), rep.sqlDelay(), rep.error());
            }
            views.add(new NodeView(n.name(), n.address(), role(n.name(), s), s.reachable(), s.error(), s.lastAnswer(),
                    s.silentFor(now, startedAt).toMillis() / 1000.0, s.took().toMillis() / 1000.0,
                    r == null ? null : r.version(), r == null ? null : r.serverId(),
                    r == null ? null : r.uptime().toSeconds(), r == null ? null : r.readOnly(),
                    probers.get(n.name()).fencesOnContact(), rv,
                    r == null ? null : r.gtid().executed(), r == null ? null : r.gtid().received(),
                    r == null ? null : new NodeView.SemiSyncView(r.semiSync().available(), r.semiSync().sourceEnabled(),
                            r.semiSync().sourceActive(), r.semiSync().sourceClients(), r.semiSync().replicaEnabled()),
                    errant.any() ? errant.toString() : null, errant.transactions()));
        }
        List<StatusSnapshot.EventView> recent = events.recent().stream().map(StatusSnapshot.EventView::of).toList();
        Flavor f = flavor.get();
        return new StatusSnapshot(now, startedAt, state, detail, primary, f == null ? null : f.name(),
                config.failoverAfter().toMillis() / 1000.0, config.semiSync().name().toLowerCase(java.util.Locale.ROOT),
                promotions, lastPromotion, views, recent);
    }

    private String role(String name, NodeState s) {
        if (name.equals(primary)) {
            return "primary";
        }
        if (refused.containsKey(name)) {
            return "refused";
        }
        if (demoted.contains(name)) {
            return "fenced";
        }
        if (!s.reachable()) {
            return "unknown";
        }
        Reading r = s.reading();
        if (r.replicates()) {
            return "replica";
        }
        return r.readOnly() ? "detached" : "extra-writer";
    }

    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10) + config.catchUpTimeout().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        probers.values().forEach(NodeProber::close);
    }
}
