package com.foobar.chaos.scenario;

import com.foobar.chaos.load.LoadSummary;
import com.foobar.chaos.load.Operation;
import com.foobar.chaos.load.RequestRecord;
import com.foobar.chaos.stacks.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * SIGKILL of one web server under load. The balancer retries a GET that found the server dead (connect refused, or
 * reset before any response) on the other one, so no read may fail; a write cannot be retried once it reached the
 * server, so a write in flight at the kill may fail, and then only with 502/503, never one that started after the
 * process was gone. The server must come back into rotation (the stack restarts it; compose: the suite starts it).
 */
public final class KillWebServer implements Scenario {

    @Override
    public String name() {
        return "kill-web";
    }

    @Override
    public String goal() {
        return "0 failed GETs; a write fails only if it was in flight, and then with 502/503; 0 acknowledged writes "
                + "lost; the server is back in rotation";
    }

    @Override
    public Optional<String> unavailable(Target target) {
        return target.webServers().size() < 2
                ? Optional.of("not available in this stack: it has one web server, so killing it is an outage")
                : Optional.empty();
    }

    @Override
    public ScenarioResult run(ScenarioContext ctx) throws Exception {
        Target target = ctx.target();
        String victim = target.webServers().get(0);
        Set<Long> before = WriteLedger.before(target.database(), ctx.productIds());
        List<String> details = new ArrayList<>();
        double dead;
        Optional<Double> out;
        Optional<Double> back;
        LoadSummary summary;
        List<Mark> marks;
        try (ScenarioRun run = ScenarioRun.begin(ctx)) {
            run.hold(ctx.phases().warmup());
            double issued = run.clock.nowMs();
            dead = target.kill(victim, run.clock);
            run.mark(issued, "kill -9 " + victim, Mark.Kind.FAULT);
            details.add(String.format(java.util.Locale.ROOT, "SIGKILL sent at +%.3f s, process gone at +%.3f s; %s",
                    issued / 1000, dead / 1000, target.afterKill(victim)));
            out = run.watcher.await(victim, s -> !s.equals("up"), ctx.phases().recovery());
            out.ifPresent(ms -> run.mark(ms, victim + " out of rotation (" + run.watcher.state(victim) + ")",
                    Mark.Kind.RECOVERY));
            target.bringBack(victim);
            back = run.watcher.await(victim, "up"::equals, ctx.phases().recovery());
            back.ifPresent(ms -> run.mark(ms, victim + " back in rotation", Mark.Kind.RECOVERY));
            run.hold(ctx.phases().cooldown());
            summary = run.finish();
            marks = run.marks();
            details.addAll(run.balancerChanges());
        }
        WriteLedger.Check ledger = WriteLedger.check(target.database(), ctx.productIds(), summary, before);

        long failedReads = summary.failed(Operation.READ);
        List<RequestRecord> badWrites = summary.failures(Operation.WRITE).stream()
                .filter(r -> !((r.status() == 502 || r.status() == 503) && r.startMs() <= dead)).toList();
        long inFlightWrites = summary.records().stream()
                .filter(r -> r.operation() == Operation.WRITE && r.inFlightAt(dead)).count();
        details.add("writes in flight when the process died: " + inFlightWrites + "; failed writes that were not "
                + "(or not with 502/503): " + badWrites.size());
        details.add(ledger.describe());
        details.addAll(Findings.failureLines(summary, 20));

        boolean pass = failedReads == 0 && badWrites.isEmpty() && ledger.clean() && back.isPresent();
        String recovery = out.map(ms -> "out of rotation " + Findings.seconds(ms - dead) + " after the kill")
                .orElse("never out of rotation") + ", " + back.map(ms -> "back " + Findings.seconds(ms - dead)
                + " after it").orElse("not back within " + ctx.phases().recovery().toSeconds() + " s");
        String measured = Findings.requests(summary) + "; " + Findings.gaps(summary) + "; " + victim + " " + recovery
                + "; acknowledged writes lost " + (ledger.error().isEmpty() ? ledger.lost().size() : "unchecked");
        return new ScenarioResult(name(), goal(), pass ? Verdict.PASS : Verdict.FAIL, measured, details,
                summary.records(), marks);
    }
}
