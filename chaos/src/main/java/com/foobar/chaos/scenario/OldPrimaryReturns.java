package com.foobar.chaos.scenario;

import com.foobar.chaos.load.LoadSummary;
import com.foobar.chaos.stacks.Capability;
import com.foobar.chaos.stacks.Database;
import com.foobar.chaos.stacks.Target;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * After {@link KillPrimary}: the old primary comes back (devdb restarts a crashed node; compose: the suite starts the
 * container). The decider must fence it read-only before anything else, find no errant transaction on it (a GTID of
 * its own server the new primary lacks), and re-attach it as a replica of the new primary, while the load sees no
 * error.
 */
public final class OldPrimaryReturns implements Scenario {

    @Override
    public String name() {
        return "old-primary-back";
    }

    @Override
    public String goal() {
        return "the old primary is fenced (read-only), re-attached to the new primary, no errant write; 0 errors";
    }

    @Override
    public Optional<String> unavailable(Target target) {
        return target.lacks(Capability.DB_FAILOVER).or(() -> target.lacks(Capability.DB_NODE_RESTART));
    }

    @Override
    public ScenarioResult run(ScenarioContext ctx) throws Exception {
        Target target = ctx.target();
        List<String> details = new ArrayList<>();
        LoadSummary summary;
        List<Mark> marks;
        Optional<Double> answers = Optional.empty();
        Optional<Double> attached = Optional.empty();
        Database.NodeState first = null;
        Database.NodeState last = null;
        Database.NodeState writer = null;
        try (ScenarioRun run = ScenarioRun.begin(ctx)) {
            run.hold(ctx.phases().warmup());
            target.bringBack("db-primary");
            run.mark("bring back db-primary", Mark.Kind.ACTION);
            long deadline = System.nanoTime() + ctx.phases().recovery().toNanos();
            while (System.nanoTime() < deadline && attached.isEmpty()) {
                for (Database.NodeState n : target.database().nodes()) {
                    if (n.writer()) {
                        writer = n;
                    }
                    if (n.name().equals("db-primary") && n.reachable()) {
                        last = n;
                        if (first == null) {
                            first = n;
                            answers = Optional.of(run.mark("db-primary answers again", Mark.Kind.RECOVERY));
                        }
                        if (n.readOnly() && n.replicating()) {
                            attached = Optional.of(run.mark("db-primary replicates (re-attached)",
                                    Mark.Kind.RECOVERY));
                        }
                    }
                }
                Thread.sleep(100);
            }
            run.hold(ctx.phases().cooldown());
            summary = run.finish();
            marks = run.marks();
        }
        List<String> errant = first == null || writer == null ? List.of() : errant(last, writer);
        boolean fencedAtFirstSight = first != null && first.readOnly();
        details.add("first seen: " + first);
        details.add("last seen: " + last);
        details.add("writer: " + writer);
        details.add("fenced when first seen answering: " + fencedAtFirstSight
                + " (the decider fences on first contact; this probe may come before it)");
        details.add("errant GTIDs (its own, beyond the new primary's): " + (errant.isEmpty() ? "none" : errant));
        details.addAll(Findings.failureLines(summary, 20));
        boolean fenced = last != null && last.readOnly();
        boolean pass = answers.isPresent() && fenced && attached.isPresent() && errant.isEmpty()
                && summary.failed() == 0;
        String measured = Findings.requests(summary) + "; "
                + (answers.isEmpty() ? "the old primary did not answer within " + ctx.phases().recovery().toSeconds()
                + " s" : "fenced " + fenced + ", re-attached " + attached.isPresent() + ", errant GTIDs "
                + errant.size());
        return new ScenarioResult(name(), goal(), pass ? Verdict.PASS : Verdict.FAIL, measured, details,
                summary.records(), marks);
    }

    /**
     * GTIDs the node has that the writer lacks: from MariaDB's {@code gtid_binlog_state} (the last sequence number per
     * domain and server), any domain-server pair where the node is ahead of the writer.
     */
    static List<String> errant(Database.NodeState node, Database.NodeState writer) {
        Map<String, Long> theirs = new HashMap<>();
        for (String gtid : writer.gtidBinlogState().split(",")) {
            String[] p = gtid.trim().split("-");
            if (p.length == 3) {
                theirs.put(p[0] + "-" + p[1], Long.parseLong(p[2]));
            }
        }
        List<String> errant = new ArrayList<>();
        for (String gtid : node.gtidBinlogState().split(",")) {
            String[] p = gtid.trim().split("-");
            if (p.length == 3 && Long.parseLong(p[2]) > theirs.getOrDefault(p[0] + "-" + p[1], 0L)) {
                errant.add(gtid.trim());
            }
        }
        return errant;
    }
}
