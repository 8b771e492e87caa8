package com.foobar.dbfailover.report;

import java.io.PrintStream;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;

/**
 * Every event goes to stdout at once, one line each (the stack shows a child's output in its log and console, a
 * container's goes to {@code docker logs}), and the last {@code kept} are kept for {@code /api/status}.
 */
public final class EventLog {
    private final PrintStream out;
    private final Clock clock;
    private final int kept;
    private final Deque<Event> last = new ArrayDeque<>();
    private final List<Consumer<Event>> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    public EventLog(PrintStream out, Clock clock, int kept) {
        this.out = out;
        this.clock = clock;
        this.kept = kept;
    }

    public Event add(EventKind kind, String node, String message) {
        return add(kind, node, message, false);
    }

    public Event loud(EventKind kind, String node, String message) {
        return add(kind, node, message, true);
    }

    public Event add(EventKind kind, String node, String message, boolean loud) {
        Event e = new Event(clock.instant(), kind, node == null ? "" : node, message, loud);
        synchronized (this) {
            last.addLast(e);
            while (last.size() > kept) {
                last.removeFirst();
            }
        }
        synchronized (out) {
            out.println(e.line());
            out.flush();
        }
        for (Consumer<Event> l : listeners) {
            l.accept(e);
        }
        return e;
    }

    /** Oldest first. */
    public synchronized List<Event> recent() {
        return new ArrayList<>(last);
    }

    public void onEvent(Consumer<Event> listener) {
        listeners.add(listener);
    }
}
