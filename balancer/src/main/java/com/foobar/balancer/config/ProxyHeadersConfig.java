package com.foobar.balancer.config;

import java.util.List;

/**
 * The headers the proxy adds on the way to a pool's servers and back (YAML {@code proxy_headers}). Everything is on
 * by default; a pool can send only what its servers use, as HAProxy's {@code option forwardfor} alone or nginx's
 * {@code proxy_set_header} lines do.
 *
 * @param forwardedFor   append the client address to {@code X-Forwarded-For}
 * @param forwardedProto set {@code X-Forwarded-Proto} (http or https)
 * @param forwardedHost  set {@code X-Forwarded-Host} to the Host the client asked for
 * @param forwardedPort  set {@code X-Forwarded-Port} to the listener's port
 * @param via            append {@code 1.1 foobar-balancer} to {@code Via}, on requests and responses
 * @param requestId      give every request an {@code X-Request-Id} (a client's sane one is kept) and echo it on the
 *                       response
 */
public record ProxyHeadersConfig(boolean forwardedFor, boolean forwardedProto, boolean forwardedHost,
        boolean forwardedPort, boolean via, boolean requestId) {

    /** The values of {@code proxy_headers.forwarded}, each naming one {@code X-Forwarded-*} header. */
    public static final List<String> FORWARDED = List.of("for", "proto", "host", "port");
    public static final ProxyHeadersConfig DEFAULT = new ProxyHeadersConfig(true, true, true, true, true, true);
}
