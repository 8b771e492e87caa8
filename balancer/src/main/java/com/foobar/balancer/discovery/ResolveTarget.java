package com.foobar.balancer.discovery;

import com.foobar.balancer.config.HostPort;

/** Something whose configured name is re-resolved by a {@link NameRefresher}. Upstream servers implement it. */
public interface ResolveTarget {

    /** The configured {@code host:port}; the host is a name, not an IP literal. */
    HostPort address();

    /** Where the target is now. */
    ResolvedAddress resolved();

    /**
     * The outcome of one query, on the refresher's event loop: {@code next} is {@link ResolvedAddress#next} of
     * {@link #resolved()}. The target takes it (one volatile write) and says what changed.
     */
    void resolved(ResolvedAddress next);

    /**
     * One query's whole answer, on the refresher's event loop. A server follows one address of it
     * ({@link ResolvedAddress#next}); a discovered pool takes every address as a server.
     */
    default void answered(DnsAnswer answer, int port) {
        resolved(resolved().next(answer, port));
    }
}
