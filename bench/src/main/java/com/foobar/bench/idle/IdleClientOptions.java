package com.foobar.bench.idle;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

/** What the idle-connection client opens, and how. */
public record IdleClientOptions(InetSocketAddress target, String hostHeader, String path, int connections,
                                int concurrency, Duration connectTimeout, Duration hold) {

    public static final int DEFAULT_CONNECTIONS = 10_000;
    public static final int DEFAULT_CONCURRENCY = 64;
    public static final String DEFAULT_PATH = "/bytes/100";
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_HOLD = Duration.ofMinutes(10);

    public IdleClientOptions {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(hostHeader, "hostHeader");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(hold, "hold");
        if (connections < 1) {
            throw new IllegalArgumentException("connections: " + connections + " is not a positive number");
        }
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency: " + concurrency + " is not a positive number");
        }
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("path: \"" + path + "\" does not start with /");
        }
    }
}
