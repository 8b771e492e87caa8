package com.foobar.balancer.lb;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

/**
 * ip-hash: a client address always maps to the same server while the server list and their health stay the same.
 * Servers take slots in proportion to their configured weight; when the chosen one is unusable the address is rehashed
 * (as nginx does), so other clients keep their server.
 */
final class IpHashPolicy implements LoadBalancingPolicy {
    private static final int REHASH_ATTEMPTS = 20;

    @Override
    public String name() {
        return "ip-hash";
    }

    @Override
    public <S extends Endpoint> ServerSelector<S> newSelector(List<S> servers, String hashKey) {
        return new Selector<>(servers);
    }

    private static final class Selector<S extends Endpoint> implements ServerSelector<S> {
        private final List<S> servers;
        private final int[] slots;

        Selector(List<S> servers) {
            this.servers = servers;
            List<Integer> table = new ArrayList<>();
            for (int i = 0; i < servers.size(); i++) {
                for (int w = 0; w < servers.get(i).weight(); w++) {
                    table.add(i);
                }
            }
            slots = table.stream().mapToInt(Integer::intValue).toArray();
        }

        @Override
        public S select(RequestContext ctx, Predicate<? super S> usable) {
            InetAddress client = ctx.clientAddress();
            long h = client == null ? ThreadLocalRandom.current().nextLong() : Hashing.hash(client);
            for (int attempt = 0; attempt < REHASH_ATTEMPTS; attempt++) {
                S s = servers.get(slots[(int) Long.remainderUnsigned(h, slots.length)]);
                if (usable.test(s)) {
                    return s;
                }
                h = Hashing.mix(h + attempt + 1);
            }
            int start = (int) Long.remainderUnsigned(h, servers.size());
            for (int i = 0; i < servers.size(); i++) {
                S s = servers.get((start + i) % servers.size());
                if (usable.test(s)) {
                    return s;
                }
            }
            return null;
        }
    }
}
