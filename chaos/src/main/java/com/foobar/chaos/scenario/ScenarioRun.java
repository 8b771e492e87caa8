package com.foobar.chaos.scenario;

import com.foobar.chaos.load.Clock;
import com.foobar.chaos.load.LoadGenerator;
import com.foobar.chaos.load.LoadSummary;
import com.foobar.chaos.load.RequestRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One scenario in progress: its clock, its load, the balancer watcher, and the marks on its time line. The load
 * starts with it and stops in {@link #finish()} (or {@link #close()} on a failure), so no scenario leaves it running.
 */
final class ScenarioRun implements AutoCloseable {

    final Clock clock = new Clock();
    final StatusWatcher watcher;
    private final ScenarioContext context;
    private final LoadGenerator load;
    private final List<Mark> marks = new ArrayList<>();
    private List<RequestRecord> records;

    private ScenarioRun(ScenarioContext context, com.foobar.chaos.load.ShopEndpoint endpoint) {
        this.context = context;
        this.watcher = new StatusWatcher(context.target().admin(), context.target().pool(), clock);
        this.load = LoadGenerator.start(endpoint, context.profile(), clock, context.productIds());
    }

    static ScenarioRun begin(ScenarioContext context) {
        return new ScenarioRun(context, context.target().shop());
    }

    /** With the load sent elsewhere than the balancer's own listener (a virtual IP). */
    static ScenarioRun begin(ScenarioContext context, com.foobar.chaos.load.ShopEndpoint endpoint) {
        return new ScenarioRun(context, endpoint);
    }

    /** Marks the moment on the time line and tells it. */
    double mark(String label, Mark.Kind kind) {
        return mark(clock.nowMs(), label, kind);
    }

    double mark(double ms, String label, Mark.Kind kind) {
        marks.add(new Mark(ms, label, kind));
        context.progress().accept(String.format(Locale.ROOT, "  +%6.2f s  %s", ms / 1000, label));
        return ms;
    }

    /**
     * Waits until a request answered so far passes {@code test}, at most {@code timeout}.
     *
     * @return the earliest-starting such request
     */
    java.util.Optional<RequestRecord> awaitRequest(java.util.function.Predicate<RequestRecord> test, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            java.util.Optional<RequestRecord> found = load.snapshot().stream().filter(test)
                    .min(java.util.Comparator.comparingDouble(RequestRecord::startMs));
            if (found.isPresent() || System.nanoTime() > deadline) {
                return found;
            }
            Thread.sleep(50);
        }
    }

    /** Lets the load run on for {@code d}. */
    void hold(Duration d) throws InterruptedException {
        Thread.sleep(d.toMillis());
    }

    /** Stops the load and the watcher; the summary of every request. */
    LoadSummary finish() {
        if (records == null) {
            records = load.stop();
            watcher.close();
        }
        return new LoadSummary(records);
    }

    List<Mark> marks() {
        return List.copyOf(marks);
    }

    /** The balancer's view changes as marks, for the plot and the report. */
    List<String> balancerChanges() {
        List<String> lines = new ArrayList<>();
        for (StatusWatcher.Change c : watcher.changes()) {
            lines.add(String.format(Locale.ROOT, "+%.2f s: balancer sees %s %s -> %s", c.ms() / 1000, c.server(),
                    c.from(), c.to()));
        }
        return lines;
    }

    @Override
    public void close() {
        finish();
    }
}
