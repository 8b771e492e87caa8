package com.foobar.balancer.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Passive outlier detection: {@code consecutiveFailures} connect errors or 5xx answers in a row eject a server for
 * {@code baseEjectionTime} times the number of times it has been ejected (capped at {@code maxEjectionTime}); at most
 * {@code maxEjectionPercent} of a pool is ejected at once, but always at least one server may be.
 * {@code consecutiveFailures == 0} turns detection off.
 */
public record OutlierDetectionConfig(int consecutiveFailures, Duration baseEjectionTime, int maxEjectionPercent,
        Duration maxEjectionTime) {
    public static final int DEFAULT_CONSECUTIVE_FAILURES = 5;
    public static final Duration DEFAULT_BASE_EJECTION_TIME = Duration.ofSeconds(10);
    public static final int DEFAULT_MAX_EJECTION_PERCENT = 50;
    public static final Duration DEFAULT_MAX_EJECTION_TIME = Duration.ofMinutes(5);
    public static final OutlierDetectionConfig DEFAULT = new OutlierDetectionConfig(DEFAULT_CONSECUTIVE_FAILURES,
            DEFAULT_BASE_EJECTION_TIME, DEFAULT_MAX_EJECTION_PERCENT, DEFAULT_MAX_EJECTION_TIME);

    public OutlierDetectionConfig {
        Objects.requireNonNull(baseEjectionTime, "baseEjectionTime");
        Objects.requireNonNull(maxEjectionTime, "maxEjectionTime");
    }

    /** The contract's three-field form; {@code max_ejection_time} takes its default. */
    public OutlierDetectionConfig(int consecutiveFailures, Duration baseEjectionTime, int maxEjectionPercent) {
        this(consecutiveFailures, baseEjectionTime, maxEjectionPercent, DEFAULT_MAX_EJECTION_TIME);
    }

    public boolean enabled() {
        return consecutiveFailures > 0;
    }
}
