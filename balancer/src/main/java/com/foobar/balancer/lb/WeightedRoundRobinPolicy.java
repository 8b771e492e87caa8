package com.foobar.balancer.lb;

import java.util.List;
import java.util.function.Predicate;

/**
 * Smooth weighted round-robin as in nginx: each pick adds every usable server's effective weight to its running
 * score, takes the highest, and subtracts the total from the winner. Weights 5,1,1 give a a b a c a a, not a a a a a b c.
 */
final class WeightedRoundRobinPolicy implements LoadBalancingPolicy {
    @Override
    public String name() {
        return "weighted-round-robin";
    }

    @Override
    public <S extends Endpoint> ServerSelector<S> newSelector(List<S> servers, String hashKey) {
        return new Selector<>(servers);
    }

    private static final class Selector<S extends Endpoint> implements ServerSelector<S> {
        private final List<S> servers;
        private final double[] current;

        Selector(List<S> servers) {
            this.servers = servers;
            this.current = new double[servers.size()];
        }

        @Override
        public synchronized S select(RequestContext ctx, Predicate<? super S> usable) {
            int best = -1;
            double total = 0;
            for (int i = 0; i < current.length; i++) {
                S s = servers.get(i);
                if (!usable.test(s)) {
                    continue;
                }
                double w = s.effectiveWeight();
                current[i] += w;
                total += w;
                if (best < 0 || current[i] > current[best]) {
                    best = i;
                }
            }
            if (best < 0) {
                return null;
            }
            current[best] -= total;
            return servers.get(best);
        }
    }
}
