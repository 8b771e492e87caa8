package com.foobar.balancer.config;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/**
 * The admin listener (metrics, status API, dashboard). Loopback by default, and by default only loopback clients may
 * connect even if it binds a public address: it is not meant for the internet. {@code deny} wins over {@code allow}.
 */
public record AdminConfig(HostPort bind, List<Cidr> allow, List<Cidr> deny) {
    public static final HostPort DEFAULT_BIND = new HostPort("127.0.0.1", 9090);
    public static final List<Cidr> DEFAULT_ALLOW = Cidr.LOOPBACK;
    public static final AdminConfig DEFAULT = new AdminConfig(DEFAULT_BIND);

    public AdminConfig {
        Objects.requireNonNull(bind, "bind");
        allow = List.copyOf(allow);
        deny = List.copyOf(deny);
    }

    public AdminConfig(HostPort bind) {
        this(bind, DEFAULT_ALLOW, List.of());
    }

    /** Whether a connection from {@code address} may use the admin listener. */
    public boolean admits(InetAddress address) {
        if (Cidr.anyContains(deny, address)) {
            return false;
        }
        return allow.isEmpty() || Cidr.anyContains(allow, address);
    }
}
