package com.foobar.dns;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One zone's address records, immutable: the names under {@code origin} and the addresses each has. Answers as an
 * authoritative server does (RFC 1034 §4.3.2): the records of a name it has; an empty answer (NODATA) for a name it has
 * but not of that type; NXDOMAIN for a name under the origin it does not have; REFUSED for any other name, since it
 * is nobody's recursive resolver.
 */
public final class Zone {
    /** A minute: long enough to spare the server, short enough that a moved address is followed soon. */
    public static final Duration DEFAULT_TTL = Duration.ofSeconds(60);

    private final String origin;
    private final Duration ttl;
    private final Map<String, List<InetAddress>> names;

    /** What the server says to one question. */
    public record Answer(Kind kind, List<InetAddress> addresses) {
        public enum Kind { RECORDS, NO_DATA, NO_SUCH_NAME, REFUSED }
    }

    private Zone(String origin, Duration ttl, Map<String, List<InetAddress>> names) {
        this.origin = origin;
        this.ttl = ttl;
        this.names = names;
    }

    /**
     * @param origin  the zone's apex ({@code foobar.com}); every name must be it or under it
     * @param records each name and its addresses, IPv4 or IPv6
     */
    public static Zone of(String origin, Duration ttl, Map<String, List<InetAddress>> records) {
        String apex = normal(Objects.requireNonNull(origin, "origin"));
        if (apex.isEmpty()) {
            throw new IllegalArgumentException("origin: the root is not a zone this server serves");
        }
        if (ttl.isNegative() || ttl.toSeconds() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("ttl: " + ttl + " is outside 0s-68y");
        }
        Map<String, List<InetAddress>> names = new LinkedHashMap<>();
        records.forEach((name, addresses) -> {
            String n = normal(name);
            if (!inZone(n, apex)) {
                throw new IllegalArgumentException(name + ": is not in the zone " + apex);
            }
            if (addresses.isEmpty()) {
                throw new IllegalArgumentException(name + ": has no address");
            }
            names.merge(n, List.copyOf(addresses), (a, b) -> {
                List<InetAddress> all = new ArrayList<>(a);
                all.addAll(b);
                return List.copyOf(all);
            });
        });
        return new Zone(apex, ttl, Map.copyOf(names));
    }

    public String origin() {
        return origin;
    }

    public Duration ttl() {
        return ttl;
    }

    /** Every name with its addresses, for a start-up line. */
    public Map<String, List<InetAddress>> names() {
        return names;
    }

    /** The answer to a question for {@code name} (any case, with or without the final dot) of the given family. */
    public Answer answer(String name, boolean ipv4, boolean ipv6) {
        String n = normal(name);
        if (!inZone(n, origin)) {
            return new Answer(Answer.Kind.REFUSED, List.of());
        }
        List<InetAddress> all = names.get(n);
        if (all == null) {
            return new Answer(Answer.Kind.NO_SUCH_NAME, List.of());
        }
        List<InetAddress> matching = all.stream()
                .filter(a -> (ipv4 && a instanceof Inet4Address) || (ipv6 && a instanceof Inet6Address)).toList();
        return new Answer(matching.isEmpty() ? Answer.Kind.NO_DATA : Answer.Kind.RECORDS, matching);
    }

    private static boolean inZone(String name, String apex) {
        return name.equals(apex) || name.endsWith("." + apex);
    }

    private static String normal(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }
}
