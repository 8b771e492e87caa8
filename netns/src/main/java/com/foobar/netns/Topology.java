package com.foobar.netns;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The network of one run, built with iproute2 and nftables: a namespace per host ({@link Plan#HOSTS}), each with an
 * {@code eth0} that is one end of a veth pair whose other end is a port of bridge {@code br0}, in a namespace of its
 * own. Addresses from {@link Plan}; each server host gets its firewall ({@link Firewalls}); the client gets a hosts
 * file ({@code /etc/netns/<ns>/hosts}, which {@code ip netns exec} mounts over /etc/hosts) naming www.foobar.com as
 * the virtual IP.
 * <p>
 * {@link #close()} kills every process left in the namespaces and deletes them; it runs on failure and, through a
 * shutdown hook, on JVM exit. Before building, namespaces of an earlier run whose JVM is gone are removed the same way.
 */
public final class Topology implements AutoCloseable {
    private static final Pattern OURS = Pattern.compile("^(" + Plan.NAME_PREFIX + "(\\d+)-[a-z0-9]+)");

    private final Plan plan;
    private final PrintStream out;
    private final List<String> created = new ArrayList<>();
    private final Thread hook = new Thread(this::close, "netns-teardown");
    private boolean closed;

    private Topology(Plan plan, PrintStream out) {
        this.plan = plan;
        this.out = out;
    }

    /** Removes what dead runs left, then builds the network and the firewalls; on any failure, removes it again. */
    public static Topology create(Plan plan, PrintStream out) {
        removeLeftovers(out);
        Topology t = new Topology(plan, out);
        Runtime.getRuntime().addShutdownHook(t.hook);
        try {
            t.build();
            return t;
        } catch (RuntimeException e) {
            t.close();
            throw e;
        }
    }

    public Plan plan() {
        return plan;
    }

    private void build() {
        String br = plan.bridgeNamespace();
        addNamespace(br);
        Commands.check("ip", "-n", br, "link", "add", "br0", "type", "bridge");
        Commands.check("ip", "-n", br, "link", "set", "br0", "up");
        out.println("[netns] bridge br0 in namespace " + br + ", subnet " + plan.subnet() + ", virtual IP " + plan.vip());
        for (String host : Plan.HOSTS) {
            String ns = plan.namespace(host);
            addNamespace(ns);
            Commands.check("ip", "link", "add", "v-" + host, "netns", br, "type", "veth", "peer", "name", "eth0", "netns", ns);
            Commands.check("ip", "-n", br, "link", "set", "v-" + host, "master", "br0", "up");
            Commands.check("ip", "-n", ns, "link", "set", "lo", "up");
            Commands.check("ip", "-n", ns, "addr", "add", plan.address(host) + "/24", "dev", "eth0");
            Commands.check("ip", "-n", ns, "link", "set", "eth0", "up");
            String firewall = host.equals("client") ? "no firewall" : "firewall: " + firewallSummary(host);
            out.println("[netns] " + String.format("%-6s", host) + " namespace " + ns + ", eth0 " + plan.address(host)
                    + "/24 (veth v-" + host + " on br0), " + firewall);
            if (!host.equals("client")) {
                applyFirewall(host);
            }
        }
        writeClientHosts();
    }

    private static String firewallSummary(String host) {
        return switch (host) {
            case "lb1", "lb2" -> "80, 443 from anyone, VRRP from the peer";
            case "web1", "web2" -> Plan.WEB_PORT + " from lb1, lb2";
            default -> Plan.DB_PORT + " from web1, web2 and the peer";
        };
    }

    private void addNamespace(String ns) {
        Commands.check("ip", "netns", "add", ns);
        created.add(ns);
    }

    private void applyFirewall(String host) {
        try {
            Path file = Files.createTempFile("foobar-nft-" + host, ".nft");
            try {
                Files.writeString(file, Firewalls.ruleset(plan, host));
                Commands.check("ip", "netns", "exec", plan.namespace(host), "nft", "-f", file.toString());
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new TopologyException("firewall of " + host + ": " + e.getMessage());
        }
    }

    private void writeClientHosts() {
        Path dir = Path.of("/etc/netns", plan.namespace("client"));
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("hosts"), "127.0.0.1 localhost\n" + plan.vip() + " www.foobar.com foobar.com\n");
        } catch (IOException e) {
            throw new TopologyException("cannot write " + dir + "/hosts: " + e.getMessage());
        }
    }

    /** The command line that runs {@code command} in the namespace of {@code host}. */
    public List<String> inNamespace(String host, List<String> command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", plan.namespace(host)));
        full.addAll(command);
        return full;
    }

    /** Runs a short command in a host's namespace and returns its exit status and output. */
    public Commands.Result exec(String host, Duration timeout, String... command) {
        return Commands.run(timeout, inNamespace(host, List.of(command)));
    }

    /** The addresses on a host's eth0, as {@code ip -br addr} prints them. */
    public String addresses(String host) {
        return Commands.run("ip", "-n", plan.namespace(host), "-br", "-4", "addr", "show", "eth0").output();
    }

    /** Which balancer holds the virtual IP now: "lb1", "lb2", or null. */
    public String vipHolder() {
        for (String lb : List.of("lb1", "lb2")) {
            if (addresses(lb).contains(" " + plan.vip() + "/")) {
                return lb;
            }
        }
        return null;
    }

    /** Kills what runs in the namespaces and deletes them. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // Already shutting down: this is the hook.
        }
        for (int i = created.size() - 1; i >= 0; i--) {
            removeNamespace(created.get(i), out);
        }
        out.println("[netns] removed namespaces " + plan.prefix() + "*");
    }

    private static void removeNamespace(String ns, PrintStream out) {
        killAll(ns, "-TERM");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!pids(ns).isEmpty() && System.nanoTime() < deadline) {
            pause();
        }
        killAll(ns, "-KILL");
        Commands.Result r = Commands.run("ip", "netns", "del", ns);
        if (!r.ok()) {
            out.println("[netns] warning: ip netns del " + ns + ": " + r.output());
        }
        Path etc = Path.of("/etc/netns", ns);
        try {
            Files.deleteIfExists(etc.resolve("hosts"));
            Files.deleteIfExists(etc);
        } catch (IOException e) {
            out.println("[netns] warning: cannot remove " + etc + ": " + e.getMessage());
        }
    }

    private static void killAll(String ns, String signal) {
        for (String pid : pids(ns)) {
            Commands.run("kill", signal, pid);
        }
    }

    private static List<String> pids(String ns) {
        String output = Commands.run("ip", "netns", "pids", ns).output();
        List<String> pids = new ArrayList<>();
        for (String line : output.split("\\s+")) {
            if (line.matches("\\d+")) {
                pids.add(line);
            }
        }
        return pids;
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Namespaces named {@code fbn<pid>-...} whose pid is no longer a live process: a run that was killed. */
    static void removeLeftovers(PrintStream out) {
        String list = Commands.run("ip", "netns", "list").output();
        for (String line : list.split("\n")) {
            Matcher m = OURS.matcher(line.trim());
            if (m.find() && ProcessHandle.of(Long.parseLong(m.group(2))).map(ProcessHandle::isAlive).orElse(false) == false) {
                out.println("[netns] removing " + m.group(1) + ", left by run " + m.group(2) + " which is gone");
                removeNamespace(m.group(1), out);
            }
        }
    }
}
