package com.foobar.bench.backend;

import java.net.InetSocketAddress;
import java.util.Objects;

/** How one backend runs: its name (sent as {@code X-Backend}), address, event-loop threads and default body size. */
public record BackendOptions(String name, InetSocketAddress bind, int threads, int defaultBodyBytes) {

    public static final int DEFAULT_THREADS = 1;
    public static final int DEFAULT_BODY_BYTES = 100;

    public BackendOptions {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(bind, "bind");
        if (name.isBlank()) {
            throw new IllegalArgumentException("name: must not be blank");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads: " + threads + " is not a positive number");
        }
        if (defaultBodyBytes < 0) {
            throw new IllegalArgumentException("body-bytes: " + defaultBodyBytes + " is negative");
        }
    }
}
