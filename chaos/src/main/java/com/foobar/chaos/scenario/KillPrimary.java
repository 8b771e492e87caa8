package com.foobar.chaos.scenario;

import com.foobar.chaos.load.LoadSummary;
import com.foobar.chaos.load.Operation;
import com.foobar.chaos.load.RequestRecord;
import com.foobar.chaos.stacks.Capability;
import com.foobar.chaos.stacks.Database;
import com.foobar.chaos.stacks.Target;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * SIGKILL of the database primary under load, with a failover decider (db-failover) running: reads go on from the
 * replica; writes are refused with 503 (the data layer has no writer) until the decider promotes the replica, at most
 * 10 s, then succeed on it; with semi-synchronous replication no acknowledged write may be missing on the promoted
 * node. Written against the behaviour db-failover and db-router describe; a stack without the decider reports "not
 * available".
 */
public final class KillPrimary implements Scenario {

    static final Duration MAX_WRITE_OUTAGE = Duration.ofSeconds(10);

    @Override
    public String name() {
        return "kill-primary";
    }

    @Override
    public String goal() {
        return "reads continue; writes get 503 for at most 10 s, then succeed on the promoted node; acknowledged "
                + "writes lost: 0 (semi-sync)";
    }

    @Override
    public Optional<String> unavailable(Target target) {
        return target.lacks(Capability.DB_FAILOVER);
    }

    @Override
    public ScenarioResult run(ScenarioContext ctx) throws Exception {
        Target target = ctx.target();
        List<Database.NodeState> nodes = target.database().nodes();
        long writers = nodes.stream().filter(Database.NodeState::writer).count();
        boolean replicaRuns = nodes.stream().anyMatch(n -> n.name().startsWith("db-replica") && n.replicating());
        if (writers != 1 || !replicaRuns) {
            return new ScenarioResult(name(), goal(), Verdict.FAIL, "precondition not met: one writer and a "
                    + "replicating replica are needed; the nodes are " + nodes, List.of(), List.of(), List.of());
        }
        Set<Long> before = WriteLedger.before(target.database(), ctx.productIds());
        List<String> details = new ArrayList<>();
        LoadSummary summary;
        List<Mark> marks;
        double dead;
        Optional<RequestRecord> writesBack;
        try (ScenarioRun run = ScenarioRun.begin(ctx)) {
            run.hold(ctx.phases().warmup());
            double issued = run.clock.nowMs();
            dead = target.kill("db-primary", run.clock);
            run.mark(issued, "kill -9 db-primary", Mark.Kind.FAULT);
            details.add(String.format(Locale.ROOT, "SIGKILL sent at +%.3f s, process gone at +%.3f s; %s",
                    issued / 1000, dead / 1000, target.afterKill("db-primary")));
            double killedAt = dead;
            writesBack = run.awaitRequest(r -> r.operation() == Operation.WRITE && r.ok() && r.startMs() > killedAt,
                    ctx.phases().recovery());
            writesBack.ifPresent(r -> run.mark(r.startMs(), "writes succeed again (X-Db-Node " + r.dbNode() + ")",
                    Mark.Kind.RECOVERY));
            run.hold(ctx.phases().cooldown());
            summary = run.finish();
            marks = run.marks();
        }
        for (Database.NodeState n : target.database().nodes()) {
            details.add("after: " + n);
        }
        WriteLedger.Check ledger = WriteLedger.check(target.database(), ctx.productIds(), summary, before);
        List<RequestRecord> writeFailures = summary.failures(Operation.WRITE);
        List<RequestRecord> not503 = writeFailures.stream().filter(r -> r.status() != 503).toList();
        double outage = writesBack.map(r -> r.startMs() - dead).orElse(Double.NaN);
        boolean promptly = writesBack.isPresent() && outage <= MAX_WRITE_OUTAGE.toMillis();
        boolean promoted = writesBack.isPresent() && !"primary".equals(writesBack.get().dbNode());
        details.add("writes failing with another status than 503: " + not503.size());
        details.add(ledger.describe());
        details.addAll(Findings.failureLines(summary, 20));
        boolean pass = summary.failed(Operation.READ) == 0 && not503.isEmpty() && promptly && ledger.clean();
        String measured = Findings.requests(summary) + "; " + Findings.gaps(summary) + "; "
                + writesBack.map(r -> "writes succeed again " + Findings.seconds(r.startMs() - dead)
                + " after the kill on " + r.dbNode() + (promoted ? "" : " (still called primary)"))
                .orElse("writes not back within " + ctx.phases().recovery().toSeconds() + " s")
                + "; acknowledged writes lost " + (ledger.error().isEmpty() ? ledger.lost().size() : "unchecked");
        return new ScenarioResult(name(), goal(), pass ? Verdict.PASS : Verdict.FAIL, measured, details,
                summary.records(), marks);
    }
}
