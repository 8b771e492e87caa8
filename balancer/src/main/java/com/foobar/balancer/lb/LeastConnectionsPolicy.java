package com.foobar.balancer.lb;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Weighted least-connections: the usable server with the fewest in-flight requests per unit of effective weight.
 * Ties rotate, so idle servers share a trickle of traffic round-robin instead of all landing on the first.
 */
final class LeastConnectionsPolicy implements LoadBalancingPolicy {
    @Override
    public String name() {
        return "least-connections";
    }

    @Override
    public <S extends Endpoint> ServerSelector<S> newSelector(List<S> servers, String hashKey) {
        return new Selector<>(servers);
    }

    private static final class Selector<S extends Endpoint> implements ServerSelector<S> {
        private final List<S> servers;
        private final AtomicInteger start = new AtomicInteger();

        Selector(List<S> servers) {
            this.servers = servers;
        }

        @Override
        public S select(RequestContext ctx, Predicate<? super S> usable) {
            int n = servers.size();
            int offset = Math.floorMod(start.getAndIncrement(), n);
            S best = null;
            double bestLoad = 0;
            for (int i = 0; i < n; i++) {
                S s = servers.get((offset + i) % n);
                if (!usable.test(s)) {
                    continue;
                }
                double load = (s.inFlight() + 1) / s.effectiveWeight();
                if (best == null || load < bestLoad) {
                    best = s;
                    bestLoad = load;
                }
            }
            return best;
        }
    }
}
