package com.foobar.chaos.scenario;

import com.foobar.chaos.load.LoadSummary;
import com.foobar.chaos.stacks.Target;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Every web server restarted in turn under load with {@link RollingRestartProcedure}: not one request may fail. */
public final class RollingRestart implements Scenario {

    @Override
    public String name() {
        return "rolling-restart";
    }

    @Override
    public String goal() {
        return "every web server drained, restarted and enabled in turn: 0 errors, 0 acknowledged writes lost";
    }

    @Override
    public Optional<String> unavailable(Target target) {
        return target.webServers().size() < 2
                ? Optional.of("not available in this stack: it has one web server, nothing carries the traffic")
                : Optional.empty();
    }

    @Override
    public ScenarioResult run(ScenarioContext ctx) throws Exception {
        Target target = ctx.target();
        Set<Long> before = WriteLedger.before(target.database(), ctx.productIds());
        List<String> details = new ArrayList<>();
        LoadSummary summary;
        List<Mark> marks;
        String failure = "";
        double startedMs;
        double doneMs;
        try (ScenarioRun run = ScenarioRun.begin(ctx)) {
            run.hold(ctx.phases().warmup());
            startedMs = run.clock.nowMs();
            RollingRestartProcedure procedure = new RollingRestartProcedure(target.admin(), target.pool(),
                    new RollingRestartProcedure.Restarter() {
                        @Override
                        public void stop(String server) throws IOException {
                            target.stop(server);
                        }

                        @Override
                        public void start(String server) throws IOException {
                            target.start(server);
                        }
                    }, Duration.ofSeconds(30), ctx.phases().recovery(),
                    (server, step) -> run.mark(step + " " + server, switch (step) {
                        case "stopped" -> Mark.Kind.FAULT;
                        case "up" -> Mark.Kind.RECOVERY;
                        case "drain", "started" -> Mark.Kind.ACTION;
                        default -> Mark.Kind.DETAIL;
                    }));
            try {
                procedure.restart(target.webServers());
            } catch (IOException e) {
                failure = e.getMessage();
                details.add("the rolling restart stopped: " + failure);
            }
            doneMs = run.clock.nowMs();
            run.hold(ctx.phases().cooldown());
            summary = run.finish();
            marks = run.marks();
            details.addAll(run.balancerChanges());
        }
        WriteLedger.Check ledger = WriteLedger.check(target.database(), ctx.productIds(), summary, before);
        details.add(ledger.describe());
        details.addAll(Findings.failureLines(summary, 20));
        boolean pass = failure.isEmpty() && summary.failed() == 0 && ledger.clean();
        String measured = Findings.requests(summary) + "; " + Findings.gaps(summary) + "; "
                + target.webServers().size() + " servers restarted in " + Findings.seconds(doneMs - startedMs)
                + (failure.isEmpty() ? "" : " (stopped: " + failure + ")") + "; acknowledged writes lost "
                + (ledger.error().isEmpty() ? ledger.lost().size() : "unchecked");
        return new ScenarioResult(name(), goal(), pass ? Verdict.PASS : Verdict.FAIL, measured, details,
                summary.records(), marks);
    }
}
