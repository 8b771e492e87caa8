package com.foobar.balancer.lb;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

/**
 * The "power of two choices" (Mitzenmacher): draw two distinct usable servers at random and keep the one with the
 * lower cost. Shared by power-of-two-choices (cost: in-flight) and peak-ewma (cost: latency times load).
 */
abstract class TwoChoices<S extends Endpoint> implements ServerSelector<S> {
    private static final int RANDOM_ATTEMPTS = 4;

    private final List<S> servers;

    TwoChoices(List<S> servers) {
        this.servers = servers;
    }

    /** Lower is better. */
    abstract double cost(S server);

    @Override
    public final S select(RequestContext ctx, Predicate<? super S> usable) {
        int n = servers.size();
        if (n == 0) {
            return null;
        }
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        int a = pick(rnd, usable, -1);
        if (a < 0) {
            return null;
        }
        int b = pick(rnd, usable, a);
        if (b < 0) {
            return servers.get(a);
        }
        S first = servers.get(a);
        S second = servers.get(b);
        double ca = cost(first);
        double cb = cost(second);
        if (ca == cb) {
            return rnd.nextBoolean() ? first : second;
        }
        return ca < cb ? first : second;
    }

    /** A random usable index other than {@code not}; a few random draws, then a scan from a random start. */
    private int pick(ThreadLocalRandom rnd, Predicate<? super S> usable, int not) {
        int n = servers.size();
        for (int i = 0; i < RANDOM_ATTEMPTS; i++) {
            int c = rnd.nextInt(n);
            if (c != not && usable.test(servers.get(c))) {
                return c;
            }
        }
        int start = rnd.nextInt(n);
        for (int i = 0; i < n; i++) {
            int c = (start + i) % n;
            if (c != not && usable.test(servers.get(c))) {
                return c;
            }
        }
        return -1;
    }
}
