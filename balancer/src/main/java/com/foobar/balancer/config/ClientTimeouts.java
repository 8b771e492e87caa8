package com.foobar.balancer.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Client-side timeouts: {@code header} bounds the time to receive a request's headers (slowloris gets 408),
 * {@code idle} closes a keep-alive client connection with no request in flight.
 */
public record ClientTimeouts(Duration header, Duration idle) {
    public static final Duration DEFAULT_HEADER = Duration.ofSeconds(10);
    public static final Duration DEFAULT_IDLE = Duration.ofSeconds(60);
    public static final ClientTimeouts DEFAULT = new ClientTimeouts(DEFAULT_HEADER, DEFAULT_IDLE);

    public ClientTimeouts {
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(idle, "idle");
    }
}
