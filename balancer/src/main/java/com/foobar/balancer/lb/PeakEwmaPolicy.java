package com.foobar.balancer.lb;

import java.util.List;

/**
 * peak-ewma (Finagle, Linkerd): two random choices compared on the server's peak-sensitive latency average times its
 * in-flight load plus one, per unit of effective weight. A server never measured costs nothing, so it gets probed.
 */
final class PeakEwmaPolicy implements LoadBalancingPolicy {
    @Override
    public String name() {
        return "peak-ewma";
    }

    @Override
    public <S extends Endpoint> ServerSelector<S> newSelector(List<S> servers, String hashKey) {
        return new TwoChoices<S>(servers) {
            @Override
            double cost(S s) {
                return s.latencyEwmaNanos() * (s.inFlight() + 1) / s.effectiveWeight();
            }
        };
    }
}
