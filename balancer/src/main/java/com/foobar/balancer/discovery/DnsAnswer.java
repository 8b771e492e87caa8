package com.foobar.balancer.discovery;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/**
 * What one resolution of a name gave: its addresses and the shortest TTL among their records, or why there are none
 * (the name does not exist, the name server failed or did not answer in time, it has no address records).
 *
 * @param addresses  in the order the name server gave them; empty on a failure
 * @param ttlSeconds the shortest TTL of the records used; 0 on a failure
 * @param problem    a short reason such as {@code NXDOMAIN} or {@code no answer within 2s}; null on success
 */
public record DnsAnswer(List<InetAddress> addresses, long ttlSeconds, String problem) {

    public DnsAnswer {
        addresses = List.copyOf(addresses);
        if ((problem == null) == addresses.isEmpty()) {
            throw new IllegalArgumentException("an answer has addresses or a problem, not both or neither");
        }
    }

    public static DnsAnswer found(List<InetAddress> addresses, long ttlSeconds) {
        return new DnsAnswer(addresses, Math.max(0, ttlSeconds), null);
    }

    public static DnsAnswer failed(String problem) {
        return new DnsAnswer(List.of(), 0, Objects.requireNonNull(problem, "problem"));
    }

    public boolean ok() {
        return problem == null;
    }
}
