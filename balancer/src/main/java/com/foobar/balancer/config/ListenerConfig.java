package com.foobar.balancer.config;

import java.util.List;
import java.util.Objects;

/**
 * A client-facing listener. Routes are tried in order, first match wins; {@code defaultPool} (nullable) takes what
 * no route matched.
 */
public record ListenerConfig(String name, HostPort bind, List<RouteConfig> routes, String defaultPool) {

    public ListenerConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(bind, "bind");
        routes = List.copyOf(routes);
    }
}
