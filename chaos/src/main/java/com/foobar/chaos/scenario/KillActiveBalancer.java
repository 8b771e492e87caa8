package com.foobar.chaos.scenario;

import com.foobar.chaos.load.LoadSummary;
import com.foobar.chaos.load.RequestRecord;
import com.foobar.chaos.stacks.BalancerPair;
import com.foobar.chaos.stacks.Capability;
import com.foobar.chaos.stacks.Target;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * SIGKILL of the balancer that holds the virtual IP, with the load sent to the virtual IP: keepalived on the other one
 * must take the address over. Measured: the failover window (first failed request to last failed request), the worst
 * gap without a success, and the failed requests; the goal is a window under 3 s.
 */
public final class KillActiveBalancer implements Scenario {

    static final Duration GOAL = Duration.ofSeconds(3);

    @Override
    public String name() {
        return "kill-active-lb";
    }

    @Override
    public String goal() {
        return "the virtual IP moves; failover window and failed requests measured; goal under 3 s";
    }

    @Override
    public Optional<String> unavailable(Target target) {
        return target.lacks(Capability.BALANCER_PAIR);
    }

    @Override
    public ScenarioResult run(ScenarioContext ctx) throws Exception {
        Target target = ctx.target();
        BalancerPair pair = target.balancerPair().orElseThrow();
        String active = pair.holder();
        List<String> details = new ArrayList<>();
        LoadSummary summary;
        List<Mark> marks;
        double dead;
        Optional<Double> moved = Optional.empty();
        String newHolder = "";
        try (ScenarioRun run = ScenarioRun.begin(ctx, pair.viaVirtualIp())) {
            run.hold(ctx.phases().warmup());
            double issued = run.clock.nowMs();
            dead = target.kill(active, run.clock);
            run.mark(issued, "kill -9 " + active + " (holds the virtual IP)", Mark.Kind.FAULT);
            long deadline = System.nanoTime() + ctx.phases().recovery().toNanos();
            while (System.nanoTime() < deadline) {
                try {
                    String holder = pair.holder();
                    if (!holder.equals(active)) {
                        newHolder = holder;
                        moved = Optional.of(run.mark("virtual IP on " + holder, Mark.Kind.RECOVERY));
                        break;
                    }
                } catch (java.io.IOException e) {
                    // Nobody holds it yet.
                }
                Thread.sleep(50);
            }
            run.hold(ctx.phases().cooldown());
            target.bringBack(active);
            summary = run.finish();
            marks = run.marks();
        }
        List<RequestRecord> failed = summary.records().stream().filter(r -> !r.ok()).toList();
        double window = failed.isEmpty() ? 0
                : failed.stream().mapToDouble(RequestRecord::endMs).max().orElse(0)
                - failed.stream().mapToDouble(RequestRecord::startMs).min().orElse(0);
        double gap = Math.max(summary.worstGap(com.foobar.chaos.load.Operation.READ).lengthMs(), 0);
        details.add(String.format(Locale.ROOT, "failover window (first failed request's start to last failed "
                + "request's end): %.0f ms; worst gap without a successful read: %.0f ms", window, gap));
        details.addAll(Findings.failureLines(summary, 20));
        boolean pass = moved.isPresent() && window < GOAL.toMillis() && gap < GOAL.toMillis();
        String measured = Findings.requests(summary) + "; " + (moved.isPresent() ? String.format(Locale.ROOT,
                "virtual IP moved to %s %.2f s after the kill", newHolder, (moved.get() - dead) / 1000)
                : "the virtual IP did not move") + String.format(Locale.ROOT, "; failover window %.0f ms, worst "
                + "read gap %.0f ms", window, gap);
        return new ScenarioResult(name(), goal(), pass ? Verdict.PASS : Verdict.FAIL, measured, details,
                summary.records(), marks);
    }
}
