package com.foobar.balancer.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Passive outlier detection, with two streaks kept apart as Envoy keeps gateway failures apart from 5xx answers:
 * {@code consecutiveFailures} attempts in a row that got no answer (connect refused or timed out, reset, response
 * timeout, protocol error), or {@code consecutive5xx} 5xx answers in a row, eject a server for
 * {@code baseEjectionTime} times the number of times it has been ejected (capped at {@code maxEjectionTime}); at most
 * {@code maxEjectionPercent} of a pool is ejected at once, but always at least one server may be. A {@code 503} that
 * carries {@code Retry-After} counts toward neither: it is a server that works telling that something behind it (a
 * database all web servers share) cannot serve now, and ejecting it would only move the same answer to its peers and
 * take it out for the reads it still serves. Any other answer ends both streaks. {@code 0} turns a streak off; both
 * {@code 0} turn detection off.
 */
public record OutlierDetectionConfig(int consecutiveFailures, int consecutive5xx, Duration baseEjectionTime,
        int maxEjectionPercent, Duration maxEjectionTime) {
    public static final int DEFAULT_CONSECUTIVE_FAILURES = 5;
    public static final int DEFAULT_CONSECUTIVE_5XX = 5;
    public static final Duration DEFAULT_BASE_EJECTION_TIME = Duration.ofSeconds(10);
    public static final int DEFAULT_MAX_EJECTION_PERCENT = 50;
    public static final Duration DEFAULT_MAX_EJECTION_TIME = Duration.ofMinutes(5);
    public static final OutlierDetectionConfig DEFAULT = new OutlierDetectionConfig(DEFAULT_CONSECUTIVE_FAILURES,
            DEFAULT_CONSECUTIVE_5XX, DEFAULT_BASE_EJECTION_TIME, DEFAULT_MAX_EJECTION_PERCENT, DEFAULT_MAX_EJECTION_TIME);

    public OutlierDetectionConfig {
        Objects.requireNonNull(baseEjectionTime, "baseEjectionTime");
        Objects.requireNonNull(maxEjectionTime, "maxEjectionTime");
    }

    public boolean enabled() {
        return consecutiveFailures > 0 || consecutive5xx > 0;
    }
}
