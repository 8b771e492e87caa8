package com.foobar.balancer.firewall;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Open connections per client address for one listener, shared by all its event loops. */
final class ConnectionsPerIp {

    private final int limit;
    private final ConcurrentMap<InetAddress, AtomicInteger> open = new ConcurrentHashMap<>();

    ConnectionsPerIp(int limit) {
        this.limit = limit;
    }

    int limit() {
        return limit;
    }

    /** Takes a slot for {@code client}; false (and nothing taken) when it already has {@code limit} connections. */
    boolean tryAcquire(InetAddress client) {
        while (true) {
            AtomicInteger n = open.computeIfAbsent(client, k -> new AtomicInteger());
            int now = n.get();
            if (now < 0) {
                continue; // being removed by release(); take a fresh counter
            }
            if (now >= limit) {
                return false;
            }
            if (n.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    void release(InetAddress client) {
        AtomicInteger n = open.get(client);
        if (n != null && n.decrementAndGet() == 0 && n.compareAndSet(0, -1)) {
            // Retired counters are marked -1 so a racing tryAcquire takes a new one instead.
            open.remove(client, n);
        }
    }

    int open(InetAddress client) {
        AtomicInteger n = open.get(client);
        return n == null ? 0 : Math.max(0, n.get());
    }

    int trackedAddresses() {
        return open.size();
    }
}
