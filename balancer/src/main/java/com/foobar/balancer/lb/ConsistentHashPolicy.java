package com.foobar.balancer.lb;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

/**
 * Consistent hashing on a ring with virtual nodes (Karger et al.; ketama's layout): each server owns
 * {@value #VNODES_PER_WEIGHT} points per unit of weight, placed by hashing its name. A key goes to the first point
 * clockwise from its hash whose server is usable, so when a server leaves, only the keys it owned move.
 */
final class ConsistentHashPolicy implements LoadBalancingPolicy {
    static final int VNODES_PER_WEIGHT = 160;

    @Override
    public String name() {
        return "consistent-hash";
    }

    @Override
    public <S extends Endpoint> ServerSelector<S> newSelector(List<S> servers, String hashKey) {
        return new Selector<>(servers, HashKeyExtractor.of(hashKey));
    }

    private static final class Selector<S extends Endpoint> implements ServerSelector<S> {
        private final List<S> servers;
        private final HashKeyExtractor key;
        private final long[] points;
        private final int[] owners;

        Selector(List<S> servers, HashKeyExtractor key) {
            this.servers = servers;
            this.key = key;
            int total = 0;
            for (S s : servers) {
                total += s.weight() * VNODES_PER_WEIGHT;
            }
            long[] packed = new long[total];
            long[] hashes = new long[total];
            int k = 0;
            for (int i = 0; i < servers.size(); i++) {
                String name = servers.get(i).name();
                for (int v = 0; v < servers.get(i).weight() * VNODES_PER_WEIGHT; v++) {
                    hashes[k++] = Hashing.hash(name + '#' + v);
                }
            }
            // Sort points with their owners: index arrays sorted by hash.
            Integer[] order = new Integer[total];
            int[] ownerOf = new int[total];
            k = 0;
            for (int i = 0; i < servers.size(); i++) {
                for (int v = 0; v < servers.get(i).weight() * VNODES_PER_WEIGHT; v++) {
                    ownerOf[k] = i;
                    order[k] = k;
                    k++;
                }
            }
            Arrays.sort(order, (a, b) -> Long.compare(hashes[a], hashes[b]));
            points = packed;
            owners = new int[total];
            for (int i = 0; i < total; i++) {
                points[i] = hashes[order[i]];
                owners[i] = ownerOf[order[i]];
            }
        }

        @Override
        public S select(RequestContext ctx, Predicate<? super S> usable) {
            if (points.length == 0) {
                return null;
            }
            long h = key.hash(ctx, ThreadLocalRandom.current().nextLong());
            int i = Arrays.binarySearch(points, h);
            if (i < 0) {
                i = -i - 1;
            }
            int lastOwner = -1;
            for (int step = 0; step < points.length; step++) {
                int owner = owners[(i + step) % points.length];
                if (owner == lastOwner) {
                    continue;
                }
                lastOwner = owner;
                S s = servers.get(owner);
                if (usable.test(s)) {
                    return s;
                }
            }
            return null;
        }
    }
}
