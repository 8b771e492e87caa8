package com.foobar.balancer.config;

import java.time.Duration;
import java.util.Objects;

/** The idle keep-alive connections the proxy keeps per upstream server (YAML {@code keepalive}). */
public record KeepAliveConfig(int maxIdlePerServer, Duration idleTimeout) {
    public static final int DEFAULT_MAX_IDLE_PER_SERVER = 256;
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);
    public static final KeepAliveConfig DEFAULT = new KeepAliveConfig(DEFAULT_MAX_IDLE_PER_SERVER, DEFAULT_IDLE_TIMEOUT);

    public KeepAliveConfig {
        Objects.requireNonNull(idleTimeout, "idleTimeout");
    }
}
