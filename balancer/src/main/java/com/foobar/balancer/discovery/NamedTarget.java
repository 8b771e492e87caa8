package com.foobar.balancer.discovery;

import com.foobar.balancer.config.HostPort;

import java.util.Objects;

/**
 * A {@link ResolveTarget} that only keeps what it was told: a configured name and the outcome of its last query.
 * {@code --check}'s one-off queries and a pool's {@code discover} name are such targets; an upstream server, which
 * logs what changed and carries traffic state, implements the interface itself.
 */
public abstract class NamedTarget implements ResolveTarget {
    private final HostPort address;
    private volatile ResolvedAddress resolved;

    protected NamedTarget(HostPort address) {
        this.address = Objects.requireNonNull(address, "address");
        this.resolved = ResolvedAddress.initial(address);
    }

    @Override
    public HostPort address() {
        return address;
    }

    @Override
    public ResolvedAddress resolved() {
        return resolved;
    }

    @Override
    public void resolved(ResolvedAddress next) {
        resolved = next;
    }
}
