package com.foobar.balancer.discovery;

import io.netty.util.concurrent.ScheduledFuture;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One target's re-resolution loop: a query, its answer handed to the target, the next query scheduled by
 * {@link RefreshSchedule}. Its state lives on the refresher's event loop; {@link #connectFailed} is the one entry
 * meant for other threads, and costs them a flag when a query is already on its way.
 */
public final class NameWatch {

    private final NameRefresher refresher;
    private final ResolveTarget target;
    private final String host;
    private final int port;
    private final CountDownLatch firstAnswer = new CountDownLatch(1);
    /** Coalesces connect failures from every loop into one task on the resolver's loop. */
    private final AtomicBoolean earlyAsked = new AtomicBoolean();
    private volatile Duration interval;
    private volatile boolean cancelled;

    // Confined to the resolver's loop.
    private boolean querying;
    private long lastAnswerNanos;
    private DnsAnswer lastAnswer;
    private ScheduledFuture<?> next;
    private long nextAtNanos;

    NameWatch(NameRefresher refresher, ResolveTarget target, Duration interval) {
        this.refresher = refresher;
        this.target = target;
        this.host = target.address().host();
        this.port = target.address().port();
        this.interval = interval;
    }

    void start() {
        if (!refresher.onLoop(this::query)) {
            cancelled = true;
        }
    }

    /**
     * A connect to the target's address failed (refused or timed out, by a request or a health check): the server may
     * have moved, so its name is asked at once, no sooner than the floor after the previous answer, unless a query is
     * under way or the name is resolved once only. Any thread.
     */
    public void connectFailed() {
        if (cancelled || !earlyAsked.compareAndSet(false, true)) {
            return;
        }
        if (!refresher.onLoop(this::askEarly)) {
            earlyAsked.set(false);
        }
    }

    private void askEarly() {
        earlyAsked.set(false);
        if (cancelled || querying) {
            return; // the answer on its way is as fresh as an early query would be
        }
        long now = System.nanoTime();
        long delay = schedule().afterConnectFailure(now, lastAnswerNanos, target.resolved().address() != null);
        if (delay != RefreshSchedule.NEVER) {
            scheduleNoLaterThan(now, delay);
        }
    }

    /** A reload changed the pool's interval: the next query moves to the last answer plus the new schedule's delay. */
    void interval(Duration newInterval) {
        if (newInterval.equals(interval)) {
            return;
        }
        interval = newInterval;
        refresher.onLoop(() -> {
            if (cancelled || querying || lastAnswer == null) {
                return; // the answer on its way schedules with the new interval
            }
            long delay = delayAfter(lastAnswer);
            cancelNext();
            if (delay != RefreshSchedule.NEVER) {
                long now = System.nanoTime();
                schedule(now, Math.max(0, lastAnswerNanos + delay - now));
            }
        });
    }

    private RefreshSchedule schedule() {
        return new RefreshSchedule(interval, refresher.floor());
    }

    private long delayAfter(DnsAnswer answer) {
        RefreshSchedule s = schedule();
        return answer.ok() ? s.afterAnswer(answer.ttlSeconds()) : s.afterFailure();
    }

    private void query() {
        next = null;
        if (cancelled) {
            return;
        }
        querying = true;
        try {
            refresher.resolver().resolve(host, this::answered);
        } catch (RuntimeException e) {
            answered(DnsAnswer.failed(e.toString())); // never stuck "querying"
        }
    }

    private void answered(DnsAnswer answer) {
        querying = false;
        if (cancelled) {
            firstAnswer.countDown();
            return;
        }
        lastAnswer = answer;
        lastAnswerNanos = System.nanoTime();
        target.answered(answer, port);
        firstAnswer.countDown();
        long delay = delayAfter(answer);
        if (delay != RefreshSchedule.NEVER) {
            schedule(lastAnswerNanos, delay);
        }
    }

    /** Moves the next query to {@code delay} from {@code now} unless one is due sooner already. */
    private void scheduleNoLaterThan(long now, long delay) {
        if (next != null && nextAtNanos - (now + delay) <= 0) {
            return;
        }
        cancelNext();
        schedule(now, delay);
    }

    private void schedule(long now, long delay) {
        nextAtNanos = now + delay;
        next = refresher.loop().schedule(this::query, delay, TimeUnit.NANOSECONDS);
    }

    private void cancelNext() {
        if (next != null) {
            next.cancel(false);
            next = null;
        }
    }

    void cancel() {
        cancelled = true;
        firstAnswer.countDown();
        refresher.onLoop(this::cancelNext);
    }

    /** Waits up to {@code nanos} for the first answer; false when the time ran out. */
    boolean awaitFirstAnswer(long nanos) throws InterruptedException {
        return nanos > 0 && firstAnswer.await(nanos, TimeUnit.NANOSECONDS) || firstAnswer.getCount() == 0;
    }
}
