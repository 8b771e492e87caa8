package com.foobar.chaos.load;

import java.time.Duration;

/**
 * The steady load of a scenario: an open model, requests issued at a fixed rate whatever the target does (a closed
 * loop would slow down with the target and hide its stalls), bounded in flight, in count and in time.
 *
 * @param readsPerSecond  GETs of pages and {@code /api/products}
 * @param writesPerSecond {@code POST /api/orders}
 * @param connectTimeout  a connect slower than this is a connect failure
 * @param requestTimeout  a request without a complete answer after this is a timeout
 * @param maxInFlight     beyond this many unanswered requests, new ones are counted as not sent
 * @param maxDuration     the load stops by itself after this, whatever the scenario does
 */
public record LoadProfile(int readsPerSecond, int writesPerSecond, Duration connectTimeout, Duration requestTimeout,
                          int maxInFlight, Duration maxDuration) {

    public LoadProfile {
        if (readsPerSecond < 0 || writesPerSecond < 0 || readsPerSecond + writesPerSecond == 0) {
            throw new IllegalArgumentException("rates: at least one request per second is needed");
        }
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight: must be at least 1");
        }
    }

    /** 80 reads and 20 writes a second: steady on two cores next to the whole stack, dense enough for 100 ms buckets. */
    public static LoadProfile standard() {
        return new LoadProfile(80, 20, Duration.ofSeconds(1), Duration.ofSeconds(5), 256, Duration.ofMinutes(5));
    }

    /** The most requests a load of this profile can issue: it is bounded in count as well as in time. */
    public long maxRequests() {
        return (long) (readsPerSecond + writesPerSecond) * Math.max(1, maxDuration.toSeconds());
    }
}
