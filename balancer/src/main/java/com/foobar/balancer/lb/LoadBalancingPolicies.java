package com.foobar.balancer.lb;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The registry of algorithms by configuration name. Adding one is one class and one line here. */
public final class LoadBalancingPolicies {
    private static final Map<String, LoadBalancingPolicy> POLICIES;

    static {
        Map<String, LoadBalancingPolicy> m = new LinkedHashMap<>();
        register(m, new RoundRobinPolicy());
        register(m, new WeightedRoundRobinPolicy());
        register(m, new LeastConnectionsPolicy());
        register(m, new IpHashPolicy());
        register(m, new ConsistentHashPolicy());
        register(m, new RandomPolicy());
        register(m, new PowerOfTwoChoicesPolicy());
        register(m, new PeakEwmaPolicy());
        POLICIES = Collections.unmodifiableMap(m);
    }

    private LoadBalancingPolicies() {
    }

    private static void register(Map<String, LoadBalancingPolicy> m, LoadBalancingPolicy p) {
        m.put(p.name(), p);
    }

    /** Known algorithm names, in documentation order. */
    public static List<String> names() {
        return List.copyOf(POLICIES.keySet());
    }

    /** The policy of that name. @throws UnknownAlgorithmException when there is none */
    public static LoadBalancingPolicy get(String name) {
        LoadBalancingPolicy p = POLICIES.get(name);
        if (p == null) {
            throw new UnknownAlgorithmException(name, names());
        }
        return p;
    }
}
