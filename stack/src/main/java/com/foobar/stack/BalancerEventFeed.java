package com.foobar.stack;

import com.foobar.balancer.events.BalancerEvent;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Tells on the console what the balancer's {@code /api/events} lists once the stack is up: a web server going down or
 * coming back, an ejection, a drain, a reload applied or rejected with its field path. So the user sees in the
 * terminal the failover the dashboard shows. The events of the start (every web server is down until it has started)
 * are not told: the feed begins after the latest event when it starts.
 */
final class BalancerEventFeed implements AutoCloseable {
    /** Often enough that a kill shows up while the user still looks; each poll is one small local request. */
    static final Duration POLL_INTERVAL = Duration.ofMillis(500);

    private final BalancerStatus balancer;
    private final Consumer<String> console;
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "balancer-events");
        t.setDaemon(true);
        return t;
    });
    // Only the poller thread touches these after start.
    private String started;
    private long after;

    BalancerEventFeed(BalancerStatus balancer, Consumer<String> console) {
        this.balancer = balancer;
        this.console = console;
    }

    void start() {
        poller.scheduleWithFixedDelay(this::poll, 0, POLL_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One poll: tells the new events; a balancer that does not answer (restarting, say) is asked again next time. */
    void poll() {
        balancer.events(after).ifPresent(page -> {
            if (started == null) {
                started = page.started();
                after = page.latest(); // the first poll: what happened during the start is not news
            } else if (!started.equals(page.started())) {
                started = page.started();
                after = 0; // the balancer restarted and numbers from 1 again: all its events are new
                balancer.events(0).ifPresent(this::tell);
            } else {
                tell(page);
            }
        });
    }

    private void tell(BalancerStatus.EventsPage page) {
        for (BalancerEvent e : page.events()) {
            console.accept(consoleLine(e));
            after = e.seq();
        }
    }

    /**
     * {@code    balancer: web/web-1 is DOWN: connection refused}, {@code    balancer: reload applied: ...},
     * {@code    balancer: tls listener https reloaded its certificates (www.foobar.com)}.
     */
    static String consoleLine(BalancerEvent e) {
        String what = e.kind().equals(BalancerEvent.SERVER) ? e.subject()
                : e.subject().isEmpty() ? e.kind() : e.kind() + " " + e.subject();
        return "   balancer: " + what + " " + e.message();
    }

    @Override
    public void close() {
        poller.shutdownNow();
    }
}
