package com.foobar.stack;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the user asked for on the command line: ports, how many web instances, where the data lives. Immutable and
 * validated once by {@link #parse(String...)}; every error names the flag at fault.
 */
public final class StackOptions {

    public static final String DEFAULT_BIND_ADDRESS = "0.0.0.0";
    public static final int DEFAULT_PORT = 8080;
    public static final int DEFAULT_ADMIN_PORT = 9090;
    public static final int DEFAULT_WEB_PORT = 8081;
    public static final int DEFAULT_WEB_INSTANCES = 2;
    public static final int DEFAULT_DB_PORT = 13306;
    public static final int DEFAULT_DB_REPLICAS = 1;
    public static final Path DEFAULT_DATA_DIR = Path.of("data");
    public static final int MAX_WEB_INSTANCES = 16;
    /** Next to the balancer's admin (9090); db-failover's own default status port. */
    public static final int DEFAULT_FAILOVER_PORT = 9095;
    /** The page of the whole architecture (the overview module's own default). */
    public static final int DEFAULT_OVERVIEW_PORT = 9096;
    /** The zone's port: 53 needs root, 5353 is the usual unprivileged stand-in. */
    public static final int DEFAULT_DNS_PORT = 5353;
    /** Compose publishes its Prometheus on the host's 9091 too (9090 is the balancer's admin). */
    public static final int DEFAULT_PROMETHEUS_PORT = 9091;
    public static final int MAX_DB_REPLICAS = 4;
    /** {@code --nginx}: nginx-1 in front of web-1 (8081) listens on 8181, nginx-2 on 8182, and so on. */
    public static final int DEFAULT_NGINX_PORT = 8181;

    /** Every component other than the balancer listens on loopback only, as on a private network. */
    public static final String LOOPBACK = "127.0.0.1";

    static final String USAGE = String.join("\n",
            "Usage: foobar [options]",
            "",
            "Runs the whole www.foobar.com infrastructure on this machine: a replicated database pair, the web",
            "instances (each its own JVM) and the load balancer in front of them. Ctrl-C stops it all, in order.",
            "",
            "Options:",
            "  --port N              balancer's public port (default " + DEFAULT_PORT + "; --port 80 where permitted)",
            "  --bind ADDRESS        balancer's public address (default " + DEFAULT_BIND_ADDRESS + ")",
            "  --admin-port N        balancer's admin port: dashboard, /api/status, /metrics (default "
                    + DEFAULT_ADMIN_PORT + ", on " + LOOPBACK + ")",
            "  --web-instances N     how many web servers to run, 1 to " + MAX_WEB_INSTANCES + " (default "
                    + DEFAULT_WEB_INSTANCES + ")",
            "  --web-port N          web-1's port; web-2 takes N+1 and so on (default " + DEFAULT_WEB_PORT + ")",
            "  --db-port N           database primary's port; replica-1 takes N+1 and so on (default "
                    + DEFAULT_DB_PORT + ")",
            "  --db-replicas N       how many database replicas, 1 to " + MAX_DB_REPLICAS + " (default "
                    + DEFAULT_DB_REPLICAS + ")",
            "  --data-dir DIR        where the databases, logs and generated balancer.yml live (default ./"
                    + DEFAULT_DATA_DIR + ")",
            "  --fresh               wipe the data directory first (otherwise a start reuses the data)",
            "  --no-restart          leave a component down when it crashes: a web server, the balancer, db-failover",
            "                        or a database server (default: restart it after 1s, backing off to 30s while it",
            "                        keeps crashing; a database server after 10s, read-only; --restart-crashed, which",
            "                        asked for that before it was the default, is still accepted)",
            "  --balancer-config F   run the balancer with this file instead of generating DATA_DIR/balancer.yml",
            "  --failover-port N     db-failover's status (/api/status, /metrics) on " + LOOPBACK + ":N (default "
                    + DEFAULT_FAILOVER_PORT + "); db-failover promotes a replica when the primary dies",
            "  --overview-port N     the overview page of the whole architecture on " + LOOPBACK + ":N (default "
                    + DEFAULT_OVERVIEW_PORT + ")",
            "  --dns-port N          the foobar.com zone (www.foobar.com, foobar.com -> the balancer) on " + LOOPBACK
                    + ":N, UDP and TCP (default " + DEFAULT_DNS_PORT + ")",
            "  --prometheus          also run this machine's Prometheus (on the PATH), scraping every component every 5s",
            "  --prometheus-port N   where that Prometheus listens, on " + LOOPBACK + ":N (default "
                    + DEFAULT_PROMETHEUS_PORT + ")",
            "  --nginx               the web server / application server split: an nginx (installed on this machine) in",
            "                        front of each web server, serving the static files itself and passing the rest on;",
            "                        the balancer's pool is the nginx servers, and each web server accepts only its nginx",
            "  --nginx-port N        nginx-1's port on " + LOOPBACK + "; nginx-2 takes N+1 and so on (default "
                    + DEFAULT_NGINX_PORT + ")",
            "  --no-semi-sync        asynchronous replication (default: semi-synchronous, so a failover loses no",
            "                        acknowledged write)",
            "  --control-port N      a control API on " + LOOPBACK + ":N to stop, start and restart one web server or the",
            "                        balancer on purpose (GET /api/components, POST /api/components/NAME/restart);",
            "                        off unless given",
            "  -h, --help            show this help",
            "");

    private final String bindAddress;
    private final int port;
    private final int adminPort;
    private final int webPort;
    private final int webInstances;
    private final int dbPort;
    private final int dbReplicas;
    private final Path dataDir;
    private final boolean fresh;
    private final boolean restartCrashed;
    private final Path balancerConfig;
    private final int controlPort;
    private final int failoverPort;
    private final int overviewPort;
    private final int dnsPort;
    private final boolean prometheus;
    private final int prometheusPort;
    private final boolean semiSync;
    private final boolean nginx;
    private final int nginxPort;
    private final boolean help;

    private StackOptions(Builder b) {
        this.bindAddress = b.bindAddress;
        this.port = b.port;
        this.adminPort = b.adminPort;
        this.webPort = b.webPort;
        this.webInstances = b.webInstances;
        this.dbPort = b.dbPort;
        this.dbReplicas = b.dbReplicas;
        this.dataDir = b.dataDir.toAbsolutePath().normalize();
        this.fresh = b.fresh;
        this.restartCrashed = b.restartCrashed;
        this.balancerConfig = b.balancerConfig == null ? null : b.balancerConfig.toAbsolutePath().normalize();
        this.controlPort = b.controlPort;
        this.failoverPort = b.failoverPort;
        this.overviewPort = b.overviewPort;
        this.dnsPort = b.dnsPort;
        this.prometheus = b.prometheus;
        this.prometheusPort = b.prometheusPort;
        this.semiSync = b.semiSync;
        this.nginx = b.nginx;
        this.nginxPort = b.nginxPort;
        this.help = b.help;
    }

    /** The defaults, as {@code foobar} with no flags runs. */
    public static StackOptions defaults() {
        return new StackOptions(new Builder());
    }

    /**
     * Parses {@code --flag value} and {@code --flag=value} forms.
     *
     * @throws InvalidOptionException naming the flag and why its value cannot work
     */
    public static StackOptions parse(String... args) throws InvalidOptionException {
        Builder b = new Builder();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String flag = arg;
            String inlineValue = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                flag = arg.substring(0, eq);
                inlineValue = arg.substring(eq + 1);
            }
            switch (flag) {
                case "-h":
                case "--help":
                    b.help = true;
                    break;
                case "--fresh":
                    noValue(flag, inlineValue);
                    b.fresh = true;
                    break;
                case "--restart-crashed":
                    // The default now; kept so that older command lines still run.
                    noValue(flag, inlineValue);
                    b.restartCrashedAsked = true;
                    break;
                case "--prometheus":
                    noValue(flag, inlineValue);
                    b.prometheus = true;
                    break;
                case "--nginx":
                    noValue(flag, inlineValue);
                    b.nginx = true;
                    break;
                case "--no-restart":
                    noValue(flag, inlineValue);
                    b.restartCrashed = false;
                    break;
                case "--no-semi-sync":
                    noValue(flag, inlineValue);
                    b.semiSync = false;
                    break;
                default:
                    String value = inlineValue;
                    if (value == null) {
                        if (!isValueFlag(flag)) {
                            throw new InvalidOptionException(unknown(flag));
                        }
                        if (i + 1 >= args.length) {
                            throw new InvalidOptionException(flag + ": needs a value");
                        }
                        value = args[++i];
                    }
                    b.set(flag, value);
            }
        }
        if (b.restartCrashedAsked && !b.restartCrashed) {
            throw new InvalidOptionException("--no-restart: contradicts --restart-crashed; give one of them");
        }
        StackOptions options = new StackOptions(b);
        options.validate();
        return options;
    }

    private static boolean isValueFlag(String flag) {
        switch (flag) {
            case "--port":
            case "--bind":
            case "--admin-port":
            case "--web-port":
            case "--web-instances":
            case "--db-port":
            case "--db-replicas":
            case "--data-dir":
            case "--balancer-config":
            case "--control-port":
            case "--failover-port":
            case "--overview-port":
            case "--dns-port":
            case "--prometheus-port":
            case "--nginx-port":
                return true;
            default:
                return false;
        }
    }

    private static String unknown(String flag) {
        // The one hint to --help is the line StackMain adds under every refused flag.
        return flag + ": unknown option";
    }

    private static void noValue(String flag, String inlineValue) throws InvalidOptionException {
        if (inlineValue != null) {
            throw new InvalidOptionException(flag + ": takes no value, got \"" + inlineValue + "\"");
        }
    }

    private void validate() throws InvalidOptionException {
        // Each port, keyed by the flag that sets it, so a clash names both sides.
        Map<Integer, String> taken = new LinkedHashMap<>();
        claim(taken, port, "--port", "the balancer");
        claim(taken, adminPort, "--admin-port", "the balancer's admin");
        for (int i = 1; i <= webInstances; i++) {
            claim(taken, webPort(i), "--web-port", webName(i));
        }
        claim(taken, dbPort, "--db-port", "db-primary");
        for (int i = 1; i <= dbReplicas; i++) {
            claim(taken, replicaPort(i), "--db-port", "db-replica-" + i);
        }
        if (controlPort != 0) {
            claim(taken, controlPort, "--control-port", "the stack's control API");
        }
        claim(taken, failoverPort, "--failover-port", "db-failover's status");
        claim(taken, overviewPort, "--overview-port", "the overview page");
        claim(taken, dnsPort, "--dns-port", "the DNS zone");
        if (prometheus) {
            claim(taken, prometheusPort, "--prometheus-port", "Prometheus");
        }
        if (nginx) {
            for (int i = 1; i <= webInstances; i++) {
                claim(taken, nginxPort(i), "--nginx-port", "nginx-" + i);
            }
        }
        if (balancerConfig != null && !Files.isReadable(balancerConfig)) {
            throw new InvalidOptionException("--balancer-config: \"" + balancerConfig + "\" is not a readable file");
        }
        if (Files.exists(dataDir) && !Files.isDirectory(dataDir)) {
            throw new InvalidOptionException("--data-dir: \"" + dataDir + "\" exists and is not a directory");
        }
    }

    private static void claim(Map<Integer, String> taken, int port, String flag, String who)
            throws InvalidOptionException {
        if (port > 65535) {
            throw new InvalidOptionException(flag + ": " + who + " would listen on port " + port
                    + ", above 65535; choose a lower " + flag);
        }
        String previous = taken.putIfAbsent(port, who + " (" + flag + ")");
        if (previous != null) {
            throw new InvalidOptionException(flag + ": " + who + " would listen on port " + port
                    + ", which " + previous + " already uses");
        }
    }

    public String bindAddress() {
        return bindAddress;
    }

    public int port() {
        return port;
    }

    public int adminPort() {
        return adminPort;
    }

    public int webInstances() {
        return webInstances;
    }

    /** The port of web-{@code n}, counting from 1. */
    public int webPort(int n) {
        checkIndex(n, webInstances);
        return webPort + n - 1;
    }

    /** The name of web-{@code n}, counting from 1; it is also its {@code X-Served-By}. */
    public String webName(int n) {
        checkIndex(n, webInstances);
        return "web-" + n;
    }

    public List<String> webNames() {
        List<String> names = new ArrayList<>(webInstances);
        for (int i = 1; i <= webInstances; i++) {
            names.add(webName(i));
        }
        return names;
    }

    public int dbPort() {
        return dbPort;
    }

    public int dbReplicas() {
        return dbReplicas;
    }

    /** The port of replica {@code n}, counting from 1. */
    public int replicaPort(int n) {
        checkIndex(n, dbReplicas);
        return dbPort + n;
    }

    public Path dataDir() {
        return dataDir;
    }

    public boolean fresh() {
        return fresh;
    }

    /** Whether a component that crashes (a database server too) is started again: yes unless {@code --no-restart}. */
    public boolean restartCrashed() {
        return restartCrashed;
    }

    /** The user's own balancer configuration, if given; otherwise the stack generates one. */
    public Optional<Path> balancerConfig() {
        return Optional.ofNullable(balancerConfig);
    }

    /** Where db-failover serves its status, on loopback. */
    public int failoverPort() {
        return failoverPort;
    }

    /** Whether the machine's Prometheus runs with the stack ({@code --prometheus}). */
    public boolean prometheus() {
        return prometheus;
    }

    /** Where that Prometheus listens, on loopback. */
    public int prometheusPort() {
        return prometheusPort;
    }

    /** Where the foobar.com zone is served, on loopback (UDP and TCP). */
    public int dnsPort() {
        return dnsPort;
    }

    /** Where the overview page is served, on loopback. */
    public int overviewPort() {
        return overviewPort;
    }

    /** Semi-synchronous replication between the database nodes (on unless {@code --no-semi-sync}). */
    public boolean semiSync() {
        return semiSync;
    }

    /** Whether an nginx runs in front of each web server ({@code --nginx}). */
    public boolean nginx() {
        return nginx;
    }

    /** The port of nginx-{@code n} (in front of web-{@code n}), counting from 1, on loopback. */
    public int nginxPort(int n) {
        checkIndex(n, webInstances);
        return nginxPort + n - 1;
    }

    /** The port of the stack's control API on loopback; empty when it is off (the default). */
    public java.util.OptionalInt controlPort() {
        return controlPort == 0 ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(controlPort);
    }

    public boolean help() {
        return help;
    }

    public static String usage() {
        return USAGE;
    }

    private static void checkIndex(int n, int count) {
        if (n < 1 || n > count) {
            throw new IndexOutOfBoundsException("instance " + n + " of " + count);
        }
    }

    @Override
    public String toString() {
        return "StackOptions{bind=" + bindAddress + ", port=" + port + ", adminPort=" + adminPort + ", webPort="
                + webPort + ", webInstances=" + webInstances + ", dbPort=" + dbPort + ", dbReplicas=" + dbReplicas
                + ", dataDir=" + dataDir + ", fresh=" + fresh + ", restartCrashed=" + restartCrashed
                + ", balancerConfig=" + balancerConfig + ", controlPort=" + controlPort + ", failoverPort=" + failoverPort
                + ", overviewPort=" + overviewPort + ", dnsPort=" + dnsPort + ", prometheus="
                + prometheus + ", prometheusPort=" + prometheusPort + ", semiSync=" + semiSync + ", nginx=" + nginx
                + ", nginxPort=" + nginxPort + "}";
    }

    private static final class Builder {
        String bindAddress = DEFAULT_BIND_ADDRESS;
        int port = DEFAULT_PORT;
        int adminPort = DEFAULT_ADMIN_PORT;
        int webPort = DEFAULT_WEB_PORT;
        int webInstances = DEFAULT_WEB_INSTANCES;
        int dbPort = DEFAULT_DB_PORT;
        int dbReplicas = DEFAULT_DB_REPLICAS;
        Path dataDir = DEFAULT_DATA_DIR;
        boolean fresh;
        boolean restartCrashed = true;
        boolean restartCrashedAsked;
        Path balancerConfig;
        int controlPort;
        int failoverPort = DEFAULT_FAILOVER_PORT;
        int overviewPort = DEFAULT_OVERVIEW_PORT;
        int dnsPort = DEFAULT_DNS_PORT;
        boolean prometheus;
        int prometheusPort = DEFAULT_PROMETHEUS_PORT;
        boolean semiSync = true;
        boolean nginx;
        int nginxPort = DEFAULT_NGINX_PORT;
        boolean help;

        void set(String flag, String value) throws InvalidOptionException {
            switch (flag) {
                case "--port":
                    port = port(flag, value);
                    break;
                case "--bind":
                    bindAddress = address(flag, value);
                    break;
                case "--admin-port":
                    adminPort = port(flag, value);
                    break;
                case "--web-port":
                    webPort = port(flag, value);
                    break;
                case "--web-instances":
                    webInstances = count(flag, value, MAX_WEB_INSTANCES);
                    break;
                case "--db-port":
                    dbPort = port(flag, value);
                    break;
                case "--db-replicas":
                    dbReplicas = count(flag, value, MAX_DB_REPLICAS);
                    break;
                case "--data-dir":
                    dataDir = path(flag, value);
                    break;
                case "--balancer-config":
                    balancerConfig = path(flag, value);
                    break;
                case "--control-port":
                    controlPort = port(flag, value);
                    break;
                case "--failover-port":
                    failoverPort = port(flag, value);
                    break;
                case "--overview-port":
                    overviewPort = port(flag, value);
                    break;
                case "--dns-port":
                    dnsPort = port(flag, value);
                    break;
                case "--prometheus-port":
                    prometheusPort = port(flag, value);
                    break;
                case "--nginx-port":
                    nginxPort = port(flag, value);
                    break;
                default:
                    throw new InvalidOptionException(unknown(flag));
            }
        }

        private static int port(String flag, String value) throws InvalidOptionException {
            int port;
            try {
                port = Integer.parseInt(value.trim());
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port < 1 || port > 65535) {
                throw new InvalidOptionException(flag + ": \"" + value + "\" is not a port number (1-65535)");
            }
            return port;
        }

        private static int count(String flag, String value, int max) throws InvalidOptionException {
            int n = integer(flag, value, "a number");
            if (n < 1 || n > max) {
                throw new InvalidOptionException(flag + ": \"" + value + "\" is out of range (1-" + max + ")");
            }
            return n;
        }

        private static int integer(String flag, String value, String what) throws InvalidOptionException {
            try {
                return Integer.parseInt(value.trim());
            } catch (NumberFormatException e) {
                throw new InvalidOptionException(flag + ": \"" + value + "\" is not " + what);
            }
        }

        private static String address(String flag, String value) throws InvalidOptionException {
            String v = value.trim();
            String hint = " (give an IP of this machine such as 0.0.0.0 or 127.0.0.1; the port goes in --port)";
            // An IP literal or a host name; a port belongs in --port.
            if (v.isEmpty() || v.contains(":") && !v.startsWith("[") || v.contains(" ") || v.contains("/")) {
                throw new InvalidOptionException(flag + ": \"" + value + "\" is not an address" + hint);
            }
            // Digits and dots mean an IPv4 address; one that is not valid must not go to DNS as a host name.
            if (v.matches("[0-9.]+") && !isIpv4(v)) {
                throw new InvalidOptionException(flag + ": \"" + value + "\" is not an IPv4 address: it takes four"
                        + " numbers 0-255, such as 127.0.0.1");
            }
            InetAddress address;
            try {
                address = InetAddress.getByName(v.startsWith("[") && v.endsWith("]")
                        ? v.substring(1, v.length() - 1) : v);
            } catch (UnknownHostException e) {
                throw new InvalidOptionException(flag + ": cannot resolve \"" + value + "\"" + hint);
            }
            if (!isOfThisMachine(address)) {
                throw new InvalidOptionException(flag + ": \"" + value + "\" is not an address of this machine"
                        + hint);
            }
            return v;
        }

        private static boolean isIpv4(String dotted) {
            String[] parts = dotted.split("\\.", -1);
            if (parts.length != 4) {
                return false;
            }
            for (String part : parts) {
                if (part.isEmpty() || part.length() > 3 || Integer.parseInt(part) > 255) {
                    return false;
                }
            }
            return true;
        }

        private static boolean isOfThisMachine(InetAddress address) {
            if (address.isAnyLocalAddress() || address.isLoopbackAddress()) {
                return true;
            }
            try {
                return NetworkInterface.getByInetAddress(address) != null;
            } catch (SocketException e) {
                // The interfaces cannot be listed: the port check before the start will tell.
                return true;
            }
        }

        private static Path path(String flag, String value) throws InvalidOptionException {
            if (value.isBlank()) {
                throw new InvalidOptionException(flag + ": needs a path");
            }
            try {
                return Path.of(value);
            } catch (java.nio.file.InvalidPathException e) {
                throw new InvalidOptionException(flag + ": \"" + value + "\" is not a valid path");
            }
        }
    }
}
