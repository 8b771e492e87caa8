package com.foobar.balancer.config;

import java.net.InetAddress;
import java.util.List;

/**
 * Who may connect and how much: {@code deny} wins over {@code allow}; an empty {@code allow} lets everyone in who is
 * not denied. {@code maxConnectionsPerIp} 0 means no limit; {@code rateLimit} null means none. Forwarding headers
 * ({@code X-Forwarded-*}, {@code Forwarded}) are kept only from {@code trustedProxies}.
 */
public record FirewallConfig(List<Cidr> allow, List<Cidr> deny, int maxConnectionsPerIp, RateLimitConfig rateLimit,
        List<Cidr> trustedProxies) {

    public static final int UNLIMITED = 0;
    public static final FirewallConfig OPEN = new FirewallConfig(List.of(), List.of(), UNLIMITED, null, List.of());

    public FirewallConfig {
        allow = List.copyOf(allow);
        deny = List.copyOf(deny);
        trustedProxies = List.copyOf(trustedProxies);
        if (maxConnectionsPerIp < 0) {
            throw new IllegalArgumentException("maxConnectionsPerIp < 0");
        }
    }

    /** Whether a connection from {@code address} passes allow/deny. */
    public boolean admits(InetAddress address) {
        if (Cidr.anyContains(deny, address)) {
            return false;
        }
        return allow.isEmpty() || Cidr.anyContains(allow, address);
    }

    /** Whether the ACL lets everyone in, so no filter is needed. */
    public boolean admitsAll() {
        return allow.isEmpty() && deny.isEmpty();
    }

    public boolean trusts(InetAddress address) {
        return Cidr.anyContains(trustedProxies, address);
    }
}
