package com.foobar.balancer.lb;

import java.util.List;

/** A load-balancing algorithm: stateless itself, it creates a stateful selector per server list. */
public interface LoadBalancingPolicy {
    /** The name used in configuration, e.g. {@code round-robin}. */
    String name();

    /**
     * A selector over {@code servers} (the list is not copied and must not change).
     *
     * @param hashKey the pool's {@code hash_key}, already validated; null for the default (source-ip)
     */
    <S extends Endpoint> ServerSelector<S> newSelector(List<S> servers, String hashKey);
}
