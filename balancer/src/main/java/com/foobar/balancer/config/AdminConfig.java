package com.foobar.balancer.config;

import java.util.Objects;

/** The admin listener (metrics, status API, dashboard). Loopback by default: it is not meant for the internet. */
public record AdminConfig(HostPort bind) {
    public static final HostPort DEFAULT_BIND = new HostPort("127.0.0.1", 9090);
    public static final AdminConfig DEFAULT = new AdminConfig(DEFAULT_BIND);

    public AdminConfig {
        Objects.requireNonNull(bind, "bind");
    }
}
