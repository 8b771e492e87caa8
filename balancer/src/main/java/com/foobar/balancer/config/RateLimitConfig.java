package com.foobar.balancer.config;

/**
 * A token bucket per key: {@code requestsPerSecond} tokens flow in, at most {@code burst} are kept. The only key is
 * {@link #KEY_SOURCE_IP} (the connection's peer address; behind a trusted proxy that is the proxy).
 */
public record RateLimitConfig(double requestsPerSecond, int burst, String key) {

    public static final String KEY_SOURCE_IP = "source-ip";

    public RateLimitConfig {
        if (!(requestsPerSecond > 0) || burst < 1) {
            throw new IllegalArgumentException("requests_per_second must be > 0 and burst >= 1");
        }
        if (!KEY_SOURCE_IP.equals(key)) {
            throw new IllegalArgumentException("key must be " + KEY_SOURCE_IP);
        }
    }

    /** Burst defaults to one second's worth of requests, at least 1. */
    public static int defaultBurst(double requestsPerSecond) {
        return (int) Math.max(1, Math.ceil(requestsPerSecond));
    }
}
