package com.foobar.balancer.health;

import com.foobar.balancer.config.HostPort;

import java.net.InetSocketAddress;

/** A server as the active health checker sees it. Upstream servers implement it. */
public interface HealthCheckTarget {
    String poolName();

    String name();

    HostPort address();

    /** Where the checker connects now (a re-resolved name may move); null while the name never resolved. */
    InetSocketAddress socketAddress();

    /** A check could not connect (refused or timed out): a re-resolved name is asked again soon. */
    default void connectFailed() {
    }

    /** Whether the checks currently consider the server healthy. */
    boolean healthy();

    /** Called by the checker when {@code rise} passes or {@code fall} failures in a row change the verdict. */
    void healthChanged(boolean healthy, String reason);
}
