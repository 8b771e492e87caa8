package com.foobar.balancer.config;

import java.util.List;
import java.util.Objects;

/**
 * A client-facing listener. Routes are tried in order, first match wins; {@code defaultPool} (nullable) takes what
 * no route matched. {@code tls} (nullable) terminates TLS; {@code hsts} (nullable) is the Strict-Transport-Security
 * value added to responses; {@code redirectToHttps} (0 = off) answers every request with a 308 to that HTTPS port;
 * {@code http2} is what a TLS listener announces to h2 clients.
 */
public record ListenerConfig(String name, HostPort bind, List<RouteConfig> routes, String defaultPool, TlsConfig tls,
        String hsts, int redirectToHttps, FirewallConfig firewall, HttpLimitsConfig limits, Http2Config http2) {

    public static final int NO_REDIRECT = 0;

    public ListenerConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(bind, "bind");
        routes = List.copyOf(routes);
        Objects.requireNonNull(firewall, "firewall");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(http2, "http2");
        if (redirectToHttps < 0 || redirectToHttps > 65535) {
            throw new IllegalArgumentException("redirectToHttps out of range");
        }
    }

    /** A listener with the default HTTP/2 settings. */
    public ListenerConfig(String name, HostPort bind, List<RouteConfig> routes, String defaultPool, TlsConfig tls,
            String hsts, int redirectToHttps, FirewallConfig firewall, HttpLimitsConfig limits) {
        this(name, bind, routes, defaultPool, tls, hsts, redirectToHttps, firewall, limits, Http2Config.DEFAULT);
    }

    /** A plain HTTP listener with no TLS, firewall or limits beyond the defaults. */
    public ListenerConfig(String name, HostPort bind, List<RouteConfig> routes, String defaultPool) {
        this(name, bind, routes, defaultPool, null, null, NO_REDIRECT, FirewallConfig.OPEN, HttpLimitsConfig.DEFAULT);
    }

    public boolean secure() {
        return tls != null;
    }
}
