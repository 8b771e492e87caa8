package com.foobar.chaos.stacks;

import com.foobar.chaos.load.Clock;
import com.foobar.chaos.load.ShopEndpoint;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * docker/compose.yaml brought up by the suite under its own project name ({@code foobar-chaos}), on free host ports
 * and its own app subnet, the way docker/'s ComposeStackTest does: with Compose v2 or v1, on the Debian stand-ins of
 * {@code docker/local-images.sh} where they exist (the jars built on the host), else on registry images. Taken down
 * with its volumes whatever the exit. The shop is reached over HTTPS only, as from outside: the balancers' port 80
 * only redirects to https. The suite trusts the balancers' own CA (tls.auto), copied out of lb-1 once it is up.
 */
public final class ComposeTarget implements Target {

    static final String PROJECT = "foobar-chaos";
    /** Not compose's default 10.213.7 nor ComposeStackTest's 10.213.8: a developer's stack is not disturbed. */
    static final String APP_NET = "10.213.9";
    /** The front network, where the balancer pair's virtual IP lives (its .10), once compose has the pair. */
    static final String FRONT_NET = "10.213.10";
    /** The db network, where the database nodes have fixed addresses (compose.yaml's x-db-hosts). */
    static final String DB_NET = "10.213.12";
    static final String LOCAL_BASE_IMAGE = "foobar-local/debian:bookworm";
    /** The site's name: in the URLs and Host headers, and the name its certificate must carry. */
    static final String SITE = "www.foobar.com";
    /** Where the balancers keep their tls.auto CA: data_dir (balancer.yml) on the lb-data volume. */
    static final String CA_PEM = "/var/lib/foobar/balancer/tls/ca.pem";
    private static final Duration QUICK = Duration.ofSeconds(30);
    private static final Duration UP = Duration.ofMinutes(20);
    private static final Duration HEALTHY = Duration.ofMinutes(5);

    /** The stack's component names and the compose services that run them. */
    private static final Map<String, String> SERVICES = Map.of("web-1", "web-1", "web-2", "web-2", "balancer", "lb",
            "db-primary", "mysql-primary", "db-replica-1", "mysql-replica");

    private final Cli cli;
    private final List<String> compose;
    private final String mode;
    private final Set<String> services;
    private final int httpsPort;
    private final BalancerAdmin admin;
    private final ComposeDatabase database;
    private final Consumer<String> progress;
    private volatile boolean closed;
    /** The balancers' CA: set by {@link #up} once lb-1 is healthy (it makes the CA at its first start). */
    private volatile X509Certificate siteCa;
    /**
     * Container ids by service. {@code docker kill}, {@code docker start} and {@code compose stop/start} keep a
     * container's id, and the suite never recreates one, so each is asked for once: every {@code compose ps} of
     * Compose v1 is a Python start-up (about a second of CPU), and the database probes ask often.
     */
    private final Map<String, String> containers = new ConcurrentHashMap<>();

    private ComposeTarget(Cli cli, List<String> compose, String mode, Set<String> services, int httpsPort,
                          int adminPort, Consumer<String> progress) {
        this.cli = cli;
        this.compose = compose;
        this.mode = mode;
        this.services = services;
        this.httpsPort = httpsPort;
        this.admin = new BalancerAdmin(URI.create("http://127.0.0.1:" + adminPort));
        this.progress = progress;
        boolean mariadb = cli.environment().getOrDefault("FOOBAR_DB_FLAVOR",
                System.getenv().getOrDefault("FOOBAR_DB_FLAVOR", "mysql")).equals("mariadb");
        Map<String, String> dbServices = new LinkedHashMap<>();
        dbServices.put("db-primary", "mysql-primary");
        dbServices.put("db-replica-1", "mysql-replica");
        this.database = new ComposeDatabase(this, dbServices,
                System.getenv().getOrDefault("MYSQL_ROOT_PASSWORD", "root-secret"), mariadb);
    }

    /** Brings the project up and returns once the balancer and both web servers are healthy. */
    public static ComposeTarget up(Path root, Consumer<String> progress) throws IOException {
        Path docker = root.resolve("docker");
        Cli bare = new Cli(docker, Map.of());
        Cli.Result engine = bare.run(QUICK, "docker", "version", "-f", "{{.Server.Version}}");
        if (!engine.ok()) {
            throw new IOException("no Docker engine answers (docker version: " + engine.output().strip() + ")");
        }
        List<String> compose;
        if (bare.run(QUICK, "docker", "compose", "version").ok()) {
            compose = List.of("docker", "compose");
        } else if (bare.run(QUICK, "docker-compose", "version").ok()) {
            compose = List.of("docker-compose");
        } else {
            throw new IOException("neither `docker compose` (Compose v2) nor `docker-compose` (v1) is installed");
        }
        // Every port compose.yaml publishes on the host gets a free one: a developer's stack on the defaults (or
        // another project) keeps its own. The syslog port is UDP; a TCP-free port is taken as free for it too.
        int base = Ports.consecutiveFree(9);
        Map<String, String> env = new HashMap<>(Map.ofEntries(
                Map.entry("LB_HTTP_ADDRESS", "127.0.0.1"),
                Map.entry("LB_HTTP_PORT", Integer.toString(base)),
                Map.entry("LB_HTTPS_PORT", Integer.toString(base + 1)),
                Map.entry("LB_ADMIN_PORT", Integer.toString(base + 2)),
                Map.entry("PROMETHEUS_PORT", Integer.toString(base + 3)),
                Map.entry("GRAFANA_PORT", Integer.toString(base + 4)),
                Map.entry("LB2_ADMIN_PORT", Integer.toString(base + 5)),
                Map.entry("FOOBAR_FAILOVER_PORT", Integer.toString(base + 6)),
                Map.entry("OVERVIEW_PORT", Integer.toString(base + 7)),
                Map.entry("LOGS_SYSLOG_PORT", Integer.toString(base + 8)),
                Map.entry("FOOBAR_APP_NET", APP_NET),
                Map.entry("FOOBAR_FRONT_NET", FRONT_NET),
                Map.entry("FOOBAR_DB_NET", DB_NET)));
        String mode = bare.run(QUICK, "docker", "image", "inspect", LOCAL_BASE_IMAGE).ok() ? "local" : "registry";
        if (mode.equals("local")) {
            for (String jar : List.of("balancer/target/balancer.jar", "webapp/target/webapp-slim.jar")) {
                if (!Files.isRegularFile(root.resolve(jar))) {
                    throw new IOException(jar + " is missing: the local images take the jars built on the host");
                }
            }
            progress.accept("compose: local images (docker/local-images.sh builds only what changed)");
            bare.run(Duration.ofMinutes(15), List.of("./local-images.sh"), line -> progress.accept("  images | "
                    + line)).orFail();
            String out = bare.run(QUICK, "bash", "-c", "eval \"$(./local-images.sh --print-env)\" && env -0")
                    .orFail();
            for (String entry : out.split("\0")) {
                int eq = entry.indexOf('=');
                String name = eq < 0 ? "" : entry.substring(0, eq).trim();
                if (List.of("PATH", "DOCKER_BUILDKIT", "COMPOSE_DOCKER_CLI_BUILD", "FOOBAR_DB_FLAVOR", "COMPOSE_FILE")
                        .contains(name)) {
                    env.put(name, entry.substring(eq + 1));
                }
            }
        }
        Cli cli = new Cli(docker, env);
        ComposeTarget target = new ComposeTarget(cli, compose, mode, Set.of(), base + 1, base + 2, progress);
        target.compose(Duration.ofMinutes(3), null, "down", "-v", "--remove-orphans");
        progress.accept("compose: up -d --build (project " + PROJECT + ", " + mode + " images, ports from " + base
                + ")");
        Cli.Result up = target.compose(UP, line -> progress.accept("  compose | " + line), "up", "-d", "--build");
        if (!up.ok()) {
            target.close();
            up.orFail();
        }
        Set<String> services = Set.copyOf(List.of(target.compose(QUICK, null, "config", "--services").orFail()
                .split("\\s+")));
        ComposeTarget ready = new ComposeTarget(cli, compose, mode, services, base + 1, base + 2, progress);
        try {
            for (String service : List.of(ready.service("balancer"), "web-1", "web-2")) {
                ready.awaitHealthy(service, HEALTHY);
            }
            ready.siteCa = ready.copySiteCa();
            progress.accept("compose: the balancers' CA copied out of " + ready.service("balancer") + "; the shop at "
                    + ready.shop());
        } catch (IOException e) {
            ready.close();
            throw e;
        }
        progress.accept("compose: up and healthy; services " + services);
        return ready;
    }

    Cli cli() {
        return cli;
    }

    /**
     * The balancers' CA, copied out as the README tells a user to: {@code docker cp} (Compose v1 has no {@code cp}).
     * lb-1 and lb-2 share it on the lb-data volume, so it stands for both members of the pair.
     */
    private X509Certificate copySiteCa() throws IOException {
        String balancer = service("balancer");
        Path dir = Files.createTempDirectory("foobar-chaos-ca-");
        Path pem = dir.resolve("ca.pem");
        try {
            Cli.Result copied = cli.run(QUICK, "docker", "cp", container(balancer) + ":" + CA_PEM, pem.toString());
            if (!copied.ok()) {
                throw new IOException("the balancers' CA cannot be copied out of " + balancer + " (" + CA_PEM + "): "
                        + copied.output().strip());
            }
            return ShopEndpoint.readCertificate(pem);
        } finally {
            Files.deleteIfExists(pem);
            Files.deleteIfExists(dir);
        }
    }

    /** The CA the shop's certificate must come from. */
    X509Certificate siteCa() {
        return siteCa;
    }

    private Cli.Result compose(Duration timeout, Consumer<String> lines, String... args) {
        List<String> command = new java.util.ArrayList<>(compose);
        command.add("-p");
        command.add(PROJECT);
        command.addAll(List.of(args));
        return cli.run(timeout, command, lines);
    }

    String service(String component) {
        if (component.equals("balancer") && !services.contains("lb") && services.contains("lb-1")) {
            return "lb-1";
        }
        return SERVICES.getOrDefault(component, component);
    }

    /** The id of the service's one container. */
    String container(String service) throws IOException {
        String cached = containers.get(service);
        if (cached != null) {
            return cached;
        }
        String id = compose(QUICK, null, "ps", "-q", service).orFail();
        if (id.isEmpty() || id.contains("\n")) {
            throw new IOException("service " + service + " has " + (id.isEmpty() ? "no" : "several") + " containers");
        }
        containers.put(service, id);
        return id;
    }

    private String inspect(String service, String template) throws IOException {
        return cli.run(QUICK, "docker", "inspect", "-f", template, container(service)).orFail();
    }

    private void awaitHealthy(String service, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String health = "";
        while (System.nanoTime() < deadline) {
            health = inspect(service, "{{if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Status}}{{end}}");
            if (health.equals("healthy")) {
                return;
            }
            sleep(Duration.ofSeconds(1));
        }
        throw new IOException(service + " is not healthy within " + timeout.toSeconds() + " s (" + health + ")");
    }

    private static void sleep(Duration d) throws IOException {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    @Override
    public String description() {
        return "docker/compose.yaml as compose project " + PROJECT + " (" + mode + " images; " + compose.get(0)
                + (compose.size() > 1 ? " " + compose.get(1) : "") + "; the shop over HTTPS, trusting only the "
                + "balancers' CA; the suite starts a killed container again with docker start, as an operator or "
                + "orchestrator would)";
    }

    @Override
    public ShopEndpoint shop() {
        // lb-1's HTTPS listener (443 in its namespace) through the port compose publishes on the host's loopback.
        return ShopEndpoint.https(SITE, new InetSocketAddress("127.0.0.1", httpsPort), siteCa);
    }

    @Override
    public BalancerAdmin admin() {
        return admin;
    }

    @Override
    public List<String> webServers() {
        return List.of("web-1", "web-2");
    }

    @Override
    public double kill(String component, Clock clock) throws IOException {
        String container = container(service(component));
        cli.run(QUICK, "docker", "kill", container).orFail();
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (cli.run(QUICK, "docker", "inspect", "-f", "{{.State.Running}}", container).orFail().equals("true")) {
            if (System.nanoTime() > deadline) {
                throw new IOException(component + " still runs 15 s after docker kill");
            }
        }
        return clock.nowMs();
    }

    @Override
    public String afterKill(String component) {
        return "a killed container stays down (docker kill is a manual stop for the restart policy): the suite "
                + "starts it again once the fault has been seen";
    }

    @Override
    public void bringBack(String component) throws IOException {
        cli.run(QUICK, "docker", "start", container(service(component))).orFail();
    }

    @Override
    public void stop(String component) throws IOException {
        compose(Duration.ofMinutes(1), null, "stop", "-t", "30", service(component)).orFail();
    }

    @Override
    public void start(String component) throws IOException {
        compose(Duration.ofMinutes(1), null, "start", service(component)).orFail();
        awaitHealthy(service(component), HEALTHY);
    }

    @Override
    public boolean running(String component) throws IOException {
        return inspect(service(component), "{{.State.Running}}").equals("true");
    }

    @Override
    public Optional<String> lacks(Capability capability) {
        return switch (capability) {
            case DB_FAILOVER -> services.contains("db-failover") ? Optional.empty()
                    : Optional.of("not available in this stack: compose runs no db-failover service, so nothing "
                    + "promotes the replica");
            case DB_NODE_RESTART -> Optional.empty();
            case BALANCER_PAIR -> services.contains("lb-1") && services.contains("lb-2") ? Optional.empty()
                    : Optional.of("not available in this stack: compose runs one balancer (service lb), no pair "
                    + "with a virtual IP yet");
        };
    }

    @Override
    public Optional<BalancerPair> balancerPair() {
        if (lacks(Capability.BALANCER_PAIR).isPresent()) {
            return Optional.empty();
        }
        return Optional.of(new ComposeBalancerPair(this, List.of("lb-1", "lb-2"), FRONT_NET + ".10"));
    }

    /** The IPv4 addresses in a service's network namespace (read from the host with nsenter: no tool needed inside). */
    List<String> addressesIn(String service) throws IOException {
        String pid = inspect(service, "{{.State.Pid}}");
        String out = cli.run(QUICK, "nsenter", "-t", pid, "-n", "ip", "-4", "-o", "addr", "show").orFail();
        List<String> addresses = new java.util.ArrayList<>();
        for (String line : out.split("\n")) {
            String[] f = line.trim().split("\\s+");
            for (int i = 0; i + 1 < f.length; i++) {
                if (f[i].equals("inet") && !f[i + 1].startsWith("127.")) {
                    addresses.add(f[i + 1].substring(0, f[i + 1].indexOf('/')));
                }
            }
        }
        return addresses;
    }

    @Override
    public Database database() {
        return database;
    }

    /** {@code down -v --remove-orphans}: no container, network or volume of the project is left. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        progress.accept("compose: down -v (project " + PROJECT + ")");
        compose(Duration.ofMinutes(3), null, "down", "-v", "--remove-orphans");
    }
}
