package com.foobar.dbfailover.probe;

import java.time.Duration;
import java.time.Instant;

/**
 * The latest probe of one node. Immutable.
 *
 * @param at          when the probe ended
 * @param reading     what it read; null when the node did not answer
 * @param error       why it did not answer (one line); null when it did
 * @param lastAnswer  the end of the last probe it answered, this one or an earlier one; null if it never answered
 * @param fenced      whether this probe set it read-only before reading anything (a demoted primary's probes do)
 */
public record NodeState(String name, Instant at, Reading reading, String error, Instant lastAnswer, Duration took,
                        boolean fenced) {

    public boolean reachable() {
        return reading != null;
    }

    /** How long since it last answered, at {@code now}; the whole time since {@code since} when it never did. */
    public Duration silentFor(Instant now, Instant since) {
        Instant from = lastAnswer != null ? lastAnswer : since;
        return Duration.between(from, now).isNegative() ? Duration.ZERO : Duration.between(from, now);
    }

    /** Not probed yet. */
    public static NodeState unknown(String name, Instant now) {
        return new NodeState(name, now, null, "not probed yet", null, Duration.ZERO, false);
    }
}
