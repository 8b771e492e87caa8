package com.foobar.chaos.load;

/**
 * The one time line of a scenario: every request, fault and recovery is stamped in milliseconds since its start, so
 * that a request's start can be compared with the moment a process died.
 */
public final class Clock {

    private final long origin = System.nanoTime();

    /** Milliseconds since this clock started, with sub-millisecond precision. */
    public double nowMs() {
        return (System.nanoTime() - origin) / 1e6;
    }
}
