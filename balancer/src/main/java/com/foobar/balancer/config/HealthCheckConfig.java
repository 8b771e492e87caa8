package com.foobar.balancer.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Active HTTP health checking of a pool: GET {@code path} every {@code interval}, failing after {@code timeout};
 * {@code rise} passes in a row bring a server UP, {@code fall} failures in a row take it DOWN. A pass is an answer whose
 * status is in {@code expectStatus}. {@code host} (nullable) is the Host header sent; without it the server's address.
 */
public record HealthCheckConfig(String path, Duration interval, Duration timeout, int rise, int fall,
        StatusRanges expectStatus, String host) {
    public static final String DEFAULT_PATH = "/";
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(2);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);
    public static final int DEFAULT_RISE = 2;
    public static final int DEFAULT_FALL = 3;

    public HealthCheckConfig {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(expectStatus, "expectStatus");
        if (rise < 1 || fall < 1) {
            throw new IllegalArgumentException("rise and fall must be at least 1");
        }
    }
}
