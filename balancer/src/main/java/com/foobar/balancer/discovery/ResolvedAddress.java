package com.foobar.balancer.discovery;

import com.foobar.balancer.config.HostPort;
import io.netty.util.NetUtil;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.Objects;

/**
 * Where a server is now, and how its name stands. Immutable: a server keeps one in a volatile field, so the request
 * path reads one volatile and never sees a half-made change.
 *
 * @param address where to connect; null while a name has never resolved (the server takes no requests then). The
 *                same instance is kept while the name keeps giving that address, so a connection can tell by
 *                identity whether it still goes to the current address
 * @param status  see {@link Status}
 * @param problem why the last query failed ({@code NXDOMAIN}, {@code no answer within 2s}); null when it did not
 */
public record ResolvedAddress(InetSocketAddress address, Status status, String problem) {

    /** How a server's address stands. */
    public enum Status {
        /** The configured host is an IP literal: nothing to resolve. */
        STATIC,
        /** A name whose first query has not answered yet. */
        PENDING,
        /** The last query answered; {@code address} is one of its addresses. */
        RESOLVED,
        /**
         * The last query failed but an earlier one answered: the last good address is kept (HAProxy's {@code hold},
         * here without end), and the name is asked again on the schedule.
         */
        HELD,
        /** The name has never resolved: the server has no address and takes no requests. */
        UNRESOLVED;

        private final String json = name().toLowerCase(Locale.ROOT);

        /** {@code static}, {@code pending}, {@code resolved}, {@code held} or {@code unresolved}. */
        public String json() {
            return json;
        }
    }

    public ResolvedAddress {
        Objects.requireNonNull(status, "status");
    }

    /** Where a server configured at {@code configured} starts: its IP literal, or no address until its name answers. */
    public static ResolvedAddress initial(HostPort configured) {
        InetAddress literal = configured.ipLiteral();
        return literal != null
                ? new ResolvedAddress(new InetSocketAddress(literal, configured.port()), Status.STATIC, null)
                : new ResolvedAddress(null, Status.PENDING, null);
    }

    /**
     * What this becomes after {@code answer}. A name that still gives the address in use keeps it, even when it gives
     * others too or in another order (round-robin DNS must not move a server on every query), else the first address
     * given is taken. A failure keeps the address in use (hold) or leaves the server without one.
     */
    public ResolvedAddress next(DnsAnswer answer, int port) {
        if (!answer.ok()) {
            return address != null ? new ResolvedAddress(address, Status.HELD, answer.problem())
                    : new ResolvedAddress(null, Status.UNRESOLVED, answer.problem());
        }
        if (address != null && answer.addresses().contains(address.getAddress())) {
            return status == Status.RESOLVED ? this : new ResolvedAddress(address, Status.RESOLVED, null);
        }
        InetAddress first = answer.addresses().get(0);
        return new ResolvedAddress(new InetSocketAddress(first, port), Status.RESOLVED, null);
    }

    /** The address as {@code 10.0.0.5:8080} or {@code [fd00::5]:8080}; {@code none} without one. */
    public String addressText() {
        return text(address);
    }

    /** {@code 10.0.0.5:8080}, {@code [fd00::5]:8080} (RFC 5952), or {@code none} for null. */
    public static String text(InetSocketAddress a) {
        if (a == null) {
            return "none";
        }
        String host = a.getAddress() != null ? NetUtil.toAddressString(a.getAddress()) : a.getHostString();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }
}
