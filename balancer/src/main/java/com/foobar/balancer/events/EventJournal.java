package com.foobar.balancer.events;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The balancer's recent events: each is printed to stderr when it happens (one line, in the spirit of HAProxy's
 * {@code Server web/web-1 is DOWN, reason: ...}) and the last {@link #KEPT} are kept, numbered, for
 * {@code GET /api/events?after=N}, so a console or dashboard follows them without reading a log. Events are rare (a
 * check verdict, an ejection, an operator action, a reload), so recording them under a lock is fine even from an event
 * loop.
 */
public final class EventJournal {
    /** About a day of a busy pool's flapping; older events are in the log. */
    public static final int KEPT = 500;

    private final PrintStream out;
    private final Clock clock;
    private final Instant started;
    private final ArrayDeque<BalancerEvent> kept = new ArrayDeque<>();
    private long latest;

    public EventJournal(PrintStream out, Clock clock) {
        this.out = out;
        this.clock = clock;
        this.started = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    /** Events printed to stderr, timed by the system clock. */
    public static EventJournal toStderr() {
        return new EventJournal(System.err, Clock.systemUTC());
    }

    public void server(String pool, String server, String what) {
        add(BalancerEvent.SERVER, pool + "/" + server, what);
    }

    public void reload(String what) {
        add(BalancerEvent.RELOAD, "", what);
    }

    public void tls(String listener, String what) {
        add(BalancerEvent.TLS, "listener " + listener, what);
    }

    private void add(String kind, String subject, String message) {
        Instant at = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        BalancerEvent e;
        // Printed under the lock, so stderr shows events in the order of their numbers.
        synchronized (this) {
            e = new BalancerEvent(++latest, at, kind, subject, message);
            kept.addLast(e);
            if (kept.size() > KEPT) {
                kept.removeFirst();
            }
            out.println(e.line());
        }
    }

    /**
     * When this journal began; numbers start from 1 again with a new one, so a reader that sees it change (the
     * balancer restarted) reads from the start.
     */
    public Instant started() {
        return started;
    }

    /** The number of the last event so far; 0 before the first. */
    public synchronized long latest() {
        return latest;
    }

    /** The kept events numbered above {@code seq}, oldest first. */
    public synchronized List<BalancerEvent> after(long seq) {
        List<BalancerEvent> out = new ArrayList<>();
        for (BalancerEvent e : kept) {
            if (e.seq() > seq) {
                out.add(e);
            }
        }
        return out;
    }
}
