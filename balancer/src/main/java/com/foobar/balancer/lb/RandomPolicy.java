package com.foobar.balancer.lb;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

/** Weighted random: a usable server with probability proportional to its effective weight. */
final class RandomPolicy implements LoadBalancingPolicy {
    @Override
    public String name() {
        return "random";
    }

    @Override
    public <S extends Endpoint> ServerSelector<S> newSelector(List<S> servers, String hashKey) {
        return new Selector<>(servers);
    }

    private static final class Selector<S extends Endpoint> implements ServerSelector<S> {
        private final List<S> servers;

        Selector(List<S> servers) {
            this.servers = servers;
        }

        @Override
        public S select(RequestContext ctx, Predicate<? super S> usable) {
            double total = 0;
            for (int i = 0; i < servers.size(); i++) {
                S s = servers.get(i);
                if (usable.test(s)) {
                    total += s.effectiveWeight();
                }
            }
            if (total <= 0) {
                return null;
            }
            double r = ThreadLocalRandom.current().nextDouble(total);
            S last = null;
            for (int i = 0; i < servers.size(); i++) {
                S s = servers.get(i);
                if (!usable.test(s)) {
                    continue;
                }
                last = s;
                r -= s.effectiveWeight();
                if (r < 0) {
                    return s;
                }
            }
            return last; // rounding, or a server that became unusable between the passes
        }
    }
}
