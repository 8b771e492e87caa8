package com.foobar.balancer.lb;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Plain round-robin: usable servers in strict turn; weights are ignored (use weighted-round-robin for those), except
 * that a server ramping up in slow start is passed over in proportion to its missing weight.
 */
final class RoundRobinPolicy implements LoadBalancingPolicy {
    @Override
    public String name() {
        return "round-robin";
    }

    @Override
    public <S extends Endpoint> ServerSelector<S> newSelector(List<S> servers, String hashKey) {
        return new Selector<>(servers);
    }

    private static final class Selector<S extends Endpoint> implements ServerSelector<S> {
        private final List<S> servers;
        private final AtomicLong next = new AtomicLong();

        Selector(List<S> servers) {
            this.servers = servers;
        }

        @Override
        public S select(RequestContext ctx, Predicate<? super S> usable) {
            int n = servers.size();
            if (n == 0) {
                return null;
            }
            // One ticket per pick, walked locally: another event loop advancing the counter meanwhile can never make
            // this pick miss a usable server.
            long ticket = next.getAndIncrement();
            S fallback = null;
            for (int i = 0; i < n; i++) {
                S s = servers.get((int) Math.floorMod(ticket + i, (long) n));
                if (!usable.test(s)) {
                    continue;
                }
                double w = s.effectiveWeight();
                if (w >= s.weight() || ThreadLocalRandom.current().nextDouble() * s.weight() < w) {
                    skip(i);
                    return s;
                }
                if (fallback == null) {
                    fallback = s;
                }
            }
            return fallback;
        }

        /** Moves the turn past the unusable servers this pick stepped over, keeping the turn exact among usable ones. */
        private void skip(int skipped) {
            if (skipped > 0) {
                next.addAndGet(skipped);
            }
        }
    }
}
