package com.foobar.chaos.scenario;

import com.foobar.chaos.load.LoadSummary;
import com.foobar.chaos.load.Operation;
import com.foobar.chaos.load.RequestRecord;
import com.foobar.chaos.load.ShopClient;
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
 * SIGKILL of the database replica under load. The data layer (db-router) retries a read that failed on a connection
 * error once on the primary and stops sending reads to a replica its monitor finds down, so reads move to the primary
 * and no request fails; writes never touched the replica. When the target brings the replica back, reads must
 * return to it.
 */
public final class KillReplica implements Scenario {

    @Override
    public String name() {
        return "kill-replica";
    }

    @Override
    public String goal() {
        return "reads move to the primary, 0 errors, 0 acknowledged writes lost";
    }

    @Override
    public Optional<String> unavailable(Target target) {
        return target.database().nodes().stream().anyMatch(n -> n.name().startsWith("db-replica"))
                ? Optional.empty() : Optional.of("not available in this stack: it has no database replica");
    }

    @Override
    public ScenarioResult run(ScenarioContext ctx) throws Exception {
        Target target = ctx.target();
        String replica = target.database().nodes().stream().map(Database.NodeState::name)
                .filter(n -> n.startsWith("db-replica")).findFirst().orElseThrow();
        String servedBefore = readsServedBy(ctx);
        if (!servedBefore.startsWith("replica")) {
            return new ScenarioResult(name(), goal(), Verdict.FAIL, "precondition not met: reads are not served by "
                    + "a replica before the kill (X-Db-Node: " + servedBefore + ")", List.of(), List.of(), List.of());
        }
        Set<Long> before = WriteLedger.before(target.database(), ctx.productIds());
        List<String> details = new ArrayList<>();
        LoadSummary summary;
        List<Mark> marks;
        double dead;
        Optional<RequestRecord> onPrimary;
        Optional<Double> back = Optional.empty();
        Optional<RequestRecord> onReplicaAgain = Optional.empty();
        Optional<String> noRestart = target.lacks(Capability.DB_NODE_RESTART);
        try (ScenarioRun run = ScenarioRun.begin(ctx)) {
            run.hold(ctx.phases().warmup());
            double issued = run.clock.nowMs();
            dead = target.kill(replica, run.clock);
            run.mark(issued, "kill -9 " + replica, Mark.Kind.FAULT);
            details.add(String.format(Locale.ROOT, "SIGKILL sent at +%.3f s, process gone at +%.3f s; %s",
                    issued / 1000, dead / 1000, target.afterKill(replica)));
            double killedAt = dead;
            onPrimary = run.awaitRequest(r -> r.operation() == Operation.READ && r.ok() && r.startMs() >= killedAt
                    && "primary".equals(r.dbNode()), ctx.phases().hold());
            onPrimary.ifPresent(r -> run.mark(r.startMs(), "reads on the primary", Mark.Kind.RECOVERY));
            run.hold(ctx.phases().hold());
            if (noRestart.isEmpty()) {
                target.bringBack(replica);
                back = awaitReplicating(target, replica, ctx.phases().recovery(), run);
                back.ifPresent(ms -> run.mark(ms, replica + " replicating again", Mark.Kind.RECOVERY));
                if (back.isPresent()) {
                    double since = back.get();
                    onReplicaAgain = run.awaitRequest(r -> r.operation() == Operation.READ && r.ok()
                            && r.startMs() >= since && r.dbNode() != null && r.dbNode().startsWith("replica"),
                            Duration.ofSeconds(30));
                    onReplicaAgain.ifPresent(r -> run.mark(r.startMs(), "reads on the replica again",
                            Mark.Kind.RECOVERY));
                }
            } else {
                details.add(replica + " stays down for the rest of the run: " + noRestart.get());
            }
            run.hold(ctx.phases().cooldown());
            summary = run.finish();
            marks = run.marks();
        }
        WriteLedger.Check ledger = WriteLedger.check(target.database(), ctx.productIds(), summary, before);
        long readsOnReplicaAfter = summary.records().stream().filter(r -> r.operation() == Operation.READ && r.ok()
                && r.startMs() > dead && r.dbNode() != null && r.dbNode().startsWith("replica")).count();
        long readsOnPrimaryAfter = summary.records().stream().filter(r -> r.operation() == Operation.READ && r.ok()
                && r.startMs() > dead && "primary".equals(r.dbNode())).count();
        details.add("reads after the kill: " + readsOnPrimaryAfter + " on the primary, " + readsOnReplicaAfter
                + " on a replica (after it came back)");
        details.add(ledger.describe());
        details.addAll(Findings.failureLines(summary, 20));
        boolean pass = summary.failed() == 0 && onPrimary.isPresent() && ledger.clean();
        double killed = dead;
        String recovery = onPrimary.map(r -> "reads on the primary " + Findings.seconds(r.startMs() - killed)
                + " after the kill").orElse("no read served by the primary after the kill");
        String replicaBack;
        if (noRestart.isPresent()) {
            replicaBack = "replica not restarted (nothing in this stack restarts it)";
        } else if (back.isEmpty()) {
            replicaBack = "replica not back within " + ctx.phases().recovery().toSeconds() + " s";
        } else {
            replicaBack = "replica replicating again " + Findings.seconds(back.get() - dead) + " after the kill"
                    + (onReplicaAgain.isPresent() ? ", reads back on it "
                    + Findings.seconds(onReplicaAgain.get().startMs() - dead) : ", but no read on it within 30 s");
        }
        String measured = Findings.requests(summary) + "; " + Findings.gaps(summary) + "; " + recovery + "; "
                + replicaBack + "; acknowledged writes lost "
                + (ledger.error().isEmpty() ? ledger.lost().size() : "unchecked");
        return new ScenarioResult(name(), goal(), pass ? Verdict.PASS : Verdict.FAIL, measured, details,
                summary.records(), marks);
    }

    /** X-Db-Node of a read now, trying for a few seconds until a replica answers (the monitor may lag a start). */
    static String readsServedBy(ScenarioContext ctx) throws InterruptedException {
        String last = "none";
        try (ShopClient shop = new ShopClient(ctx.target().shop())) {
            for (int i = 0; i < 40; i++) {
                try {
                    String node = shop.get("/api/products").getHeaders().get("X-Db-Node");
                    last = String.valueOf(node);
                    if (last.startsWith("replica")) {
                        return last;
                    }
                } catch (java.io.IOException e) {
                    last = e.getMessage();
                }
                Thread.sleep(250);
            }
        }
        return last;
    }

    static Optional<Double> awaitReplicating(Target target, String node, Duration timeout, ScenarioRun run)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (target.database().nodes().stream().anyMatch(n -> n.name().equals(node) && n.reachable()
                    && n.replicating())) {
                return Optional.of(run.clock.nowMs());
            }
            Thread.sleep(200);
        }
        return Optional.empty();
    }
}
