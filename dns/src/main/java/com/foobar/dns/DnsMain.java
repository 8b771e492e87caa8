package com.foobar.dns;

import com.foobar.logging.Logging;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar dns.jar --address 10.213.6.10}: the foobar.com zone on its own, where www.foobar.com and
 * foobar.com are the load balancer's address (the virtual IP of a pair). Bad flags: one line naming the flag, exit 2.
 */
public final class DnsMain {
    public static final String ORIGIN = "foobar.com";
    public static final int DEFAULT_PORT = 5353;
    static final String USAGE = """
            usage: dns --address ADDR [--record NAME=ADDR]... [--bind ADDR] [--port N] [--ttl SECONDS]
              --address   the load balancer's address: www.foobar.com and foobar.com (repeatable: several records)
              --record    another name of the zone and its address (repeatable)
              --bind      address to answer on (default 127.0.0.1)
              --port      UDP and TCP port (default 5353; 53 needs root or CAP_NET_BIND_SERVICE; 0 for any free one)
              --ttl       the records' time to live in seconds (default 60)
            """;

    private DnsMain() {
    }

    /** The zone of the site: {@code www.foobar.com} and {@code foobar.com} at the balancer's address(es), plus more. */
    public static Zone siteZone(List<InetAddress> balancer, Map<String, List<InetAddress>> more, Duration ttl) {
        Map<String, List<InetAddress>> records = new LinkedHashMap<>();
        records.put("www." + ORIGIN, balancer);
        records.put(ORIGIN, balancer);
        more.forEach((name, addresses) -> records.merge(name, addresses, (a, b) -> {
            List<InetAddress> all = new ArrayList<>(a);
            all.addAll(b);
            return all;
        }));
        return Zone.of(ORIGIN, ttl, records);
    }

    public static void main(String[] args) throws InterruptedException {
        Logging.init();
        Parsed parsed;
        try {
            parsed = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("dns: " + e.getMessage());
            System.err.println("run with --help for the flags");
            System.exit(2);
            return;
        }
        if (parsed == null) {
            System.out.print(USAGE);
            return;
        }
        ZoneServer server;
        try {
            server = ZoneServer.start(parsed.bind(), parsed.zone());
        } catch (IOException e) {
            System.err.println("dns: cannot answer on " + parsed.bind() + " (UDP and TCP): " + e.getMessage());
            System.exit(1);
            return;
        }
        describe(parsed.zone(), server.address()).forEach(System.out::println);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "dns-stop"));
        stopped.await();
    }

    /** What it serves, with the command that asks it. */
    public static List<String> describe(Zone zone, InetSocketAddress at) {
        List<String> lines = new ArrayList<>();
        String host = at.getAddress().getHostAddress();
        lines.add("dns: the zone " + zone.origin() + " on " + host + ":" + at.getPort() + " (UDP and TCP), TTL "
                + zone.ttl().toSeconds() + "s; try: dig @" + host + " -p " + at.getPort() + " www." + zone.origin());
        zone.names().forEach((name, addresses) -> lines.add("  " + name + " -> "
                + String.join(", ", addresses.stream().map(InetAddress::getHostAddress).toList())));
        return lines;
    }

    record Parsed(InetSocketAddress bind, Zone zone) {
    }

    /** The server's address and zone from the flags; null for {@code --help}. */
    static Parsed parse(String[] args) {
        String bind = "127.0.0.1";
        int port = DEFAULT_PORT;
        long ttl = Zone.DEFAULT_TTL.toSeconds();
        List<InetAddress> balancer = new ArrayList<>();
        Map<String, List<InetAddress>> more = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals("--help") || flag.equals("-h")) {
                return null;
            }
            if (!List.of("--address", "--record", "--bind", "--port", "--ttl").contains(flag)) {
                throw new IllegalArgumentException(flag + ": unknown flag");
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(flag + ": needs a value");
            }
            String value = args[++i];
            switch (flag) {
                case "--address" -> balancer.add(literal(flag, value));
                case "--record" -> {
                    int eq = value.indexOf('=');
                    if (eq <= 0) {
                        throw new IllegalArgumentException(flag + ": " + value + " is not NAME=ADDRESS");
                    }
                    more.computeIfAbsent(value.substring(0, eq), k -> new ArrayList<>())
                            .add(literal(flag, value.substring(eq + 1)));
                }
                case "--bind" -> bind = value;
                case "--port" -> port = number(flag, value, 0, 65535, "is not a port number (0-65535, 0 for any free port)");
                default -> ttl = number(flag, value, 0, 86_400, "is not a number of seconds (0-86400)");
            }
        }
        if (balancer.isEmpty()) {
            throw new IllegalArgumentException("--address: is required (the load balancer's address)");
        }
        try {
            return new Parsed(new InetSocketAddress(literal("--bind", bind), port),
                    siteZone(balancer, more, Duration.ofSeconds(ttl)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--record " + e.getMessage());
        }
    }

    /** An IP address as written, never looked up: a zone's records are addresses, not names. */
    private static InetAddress literal(String flag, String value) {
        boolean ipv4 = value.matches("(25[0-5]|2[0-4]\\d|1?\\d?\\d)(\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)){3}");
        boolean ipv6 = value.contains(":") && value.matches("[0-9A-Fa-f:.]+");
        if (!ipv4 && !ipv6) { // anything else would be looked up as a host name
            throw new IllegalArgumentException(flag + ": " + value + " is not an IP address");
        }
        try {
            return InetAddress.getByName(value);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(flag + ": " + value + " is not an IP address");
        }
    }

    private static int number(String flag, String value, int min, int max, String why) {
        try {
            int n = Integer.parseInt(value);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // the message below
        }
        throw new IllegalArgumentException(flag + ": " + value + " " + why);
    }
}
