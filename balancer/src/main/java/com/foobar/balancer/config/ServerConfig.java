package com.foobar.balancer.config;

import java.util.Objects;

/** One upstream server of a pool. */
public record ServerConfig(String name, HostPort address, int weight, boolean backup) {
    public static final int DEFAULT_WEIGHT = 1;
    /** Same ceiling as HAProxy; keeps weighted tables and hash rings small. */
    public static final int MAX_WEIGHT = 256;

    public ServerConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(address, "address");
        if (weight < 1 || weight > MAX_WEIGHT) {
            throw new IllegalArgumentException("weight " + weight + " is out of range 1-" + MAX_WEIGHT);
        }
    }
}
