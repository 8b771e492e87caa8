package com.foobar.balancer.discovery;

import java.time.Duration;
import java.util.Objects;

/**
 * When a name is asked again. Three numbers decide it, as in Envoy's {@code STRICT_DNS} clusters
 * ({@code dns_refresh_rate}, {@code respect_dns_ttl}, {@code dns_min_refresh_rate}) and nginx's {@code resolve}
 * with {@code valid=}:
 * <ul>
 *   <li>the pool's {@code resolve_interval}: the longest an answer is used. A record's TTL longer than it is capped by
 *       it (Docker's embedded DNS answers with TTL 600, and a restarted container must not wait ten minutes);</li>
 *   <li>the record's TTL: shorter than the interval, it brings the next query forward;</li>
 *   <li>the floor {@code dns.min_ttl}: never sooner than this, however short the TTL (0 included) and however many
 *       connects fail.</li>
 * </ul>
 * Every delay counts from the previous answer (or failure). A failed query (no such name, no answer) is asked again
 * after the interval, the address in use being kept in the meantime. A connect failure to the server asks at once,
 * but no sooner than the floor after the previous answer. An interval of zero resolves once: after the first answer
 * the name is never asked again (until a reload replaces the server); a name that has not resolved yet is still asked
 * every {@link #UNTIL_FIRST_ANSWER}.
 */
public record RefreshSchedule(Duration interval, Duration floor) {
    /** No further query. */
    public static final long NEVER = -1;
    /** With {@code resolve_interval: 0s}, how often a name that never resolved is asked until it does. */
    public static final Duration UNTIL_FIRST_ANSWER = Duration.ofSeconds(5);

    public RefreshSchedule {
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(floor, "floor");
    }

    /** Whether the name is resolved once only ({@code resolve_interval: 0s}). */
    public boolean once() {
        return interval.isZero();
    }

    /** Nanoseconds from an answer whose shortest TTL is {@code ttlSeconds} to the next query, or {@link #NEVER}. */
    public long afterAnswer(long ttlSeconds) {
        if (once()) {
            return NEVER;
        }
        long ttl = ttlSeconds >= Long.MAX_VALUE / 1_000_000_000L ? Long.MAX_VALUE
                : Math.max(0, ttlSeconds) * 1_000_000_000L;
        return Math.max(floor.toNanos(), Math.min(ttl, interval.toNanos()));
    }

    /** Nanoseconds from a failed query to the next one. */
    public long afterFailure() {
        return Math.max(floor.toNanos(), (once() ? UNTIL_FIRST_ANSWER : interval).toNanos());
    }

    /**
     * Nanoseconds from {@code nowNanos} to a query asked for because a connect failed, the previous answer having come
     * at {@code lastAnswerNanos}; {@link #NEVER} when the name is resolved once and has an address.
     */
    public long afterConnectFailure(long nowNanos, long lastAnswerNanos, boolean hasAddress) {
        if (once() && hasAddress) {
            return NEVER;
        }
        return Math.max(0, lastAnswerNanos + floor.toNanos() - nowNanos);
    }
}
