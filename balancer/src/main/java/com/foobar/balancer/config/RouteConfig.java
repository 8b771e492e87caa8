package com.foobar.balancer.config;

import java.util.List;
import java.util.Objects;

/**
 * A route: requests whose Host (lower-case, without port) is in {@code hosts} (empty means any host) and whose path
 * starts with {@code pathPrefix} go to {@code pool}.
 */
public record RouteConfig(List<String> hosts, String pathPrefix, String pool) {
    public static final String DEFAULT_PATH_PREFIX = "/";

    public RouteConfig {
        hosts = List.copyOf(hosts);
        Objects.requireNonNull(pathPrefix, "pathPrefix");
        Objects.requireNonNull(pool, "pool");
    }
}
