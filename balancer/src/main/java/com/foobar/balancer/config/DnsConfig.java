package com.foobar.balancer.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How the balancer asks DNS for server names (YAML {@code dns}). The balancer has its own non-blocking resolver, so
 * these settings are its own, in the spirit of HAProxy's {@code resolvers} section:
 *
 * @param nameservers where queries go; empty means the system's ({@code /etc/resolv.conf}, e.g. Docker's
 *                    {@code 127.0.0.11}). IP literals only: a name server cannot be found by name
 * @param minTtl      the floor under every re-resolution: however short a record's TTL, and however many connects
 *                    fail, a name is not asked again sooner than this after its last query (as Envoy's
 *                    {@code dns_min_refresh_rate})
 * @param timeout     how long one query waits for an answer before the resolver tries again or gives up
 */
public record DnsConfig(List<HostPort> nameservers, Duration minTtl, Duration timeout) {
    public static final int DEFAULT_PORT = 53;
    public static final Duration DEFAULT_MIN_TTL = Duration.ofSeconds(1);
    /** The floor may not be lower than this: a dead server failing every connect must not turn into a DNS flood. */
    public static final Duration MIN_MIN_TTL = Duration.ofMillis(100);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);
    public static final DnsConfig DEFAULT = new DnsConfig(List.of(), DEFAULT_MIN_TTL, DEFAULT_TIMEOUT);

    public DnsConfig {
        nameservers = List.copyOf(nameservers);
        Objects.requireNonNull(minTtl, "minTtl");
        Objects.requireNonNull(timeout, "timeout");
    }

    /** Whether the system's name servers are used. */
    public boolean systemNameservers() {
        return nameservers.isEmpty();
    }
}
