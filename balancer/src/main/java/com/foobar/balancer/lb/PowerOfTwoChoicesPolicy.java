package com.foobar.balancer.lb;

import java.util.List;

/** power-of-two-choices on in-flight requests per unit of effective weight. */
final class PowerOfTwoChoicesPolicy implements LoadBalancingPolicy {
    @Override
    public String name() {
        return "power-of-two-choices";
    }

    @Override
    public <S extends Endpoint> ServerSelector<S> newSelector(List<S> servers, String hashKey) {
        return new TwoChoices<S>(servers) {
            @Override
            double cost(S s) {
                return s.inFlight() / s.effectiveWeight();
            }
        };
    }
}
