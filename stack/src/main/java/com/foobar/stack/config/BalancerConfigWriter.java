package com.foobar.stack.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Writes the balancer configuration the stack runs with: a plain, commented YAML file in the balancer's own format,
 * meant to be read and edited by the user. The balancer reloads it when it changes.
 *
 * <p>It is written as text rather than serialized so that it keeps its comments and the order a person expects.
 * Every value in it is a host:port, a name or a number that this class produces itself, so nothing needs escaping.
 */
public final class BalancerConfigWriter {

    public static final String POOL = "web";
    public static final List<String> HOSTS = List.of("www.foobar.com", "foobar.com");
    public static final String HEALTH_PATH = "/health";
    public static final Duration HEALTH_INTERVAL = Duration.ofSeconds(1);
    public static final Duration HEALTH_TIMEOUT = Duration.ofMillis(500);
    public static final int HEALTH_RISE = 2;
    public static final int HEALTH_FALL = 2;
    public static final int RETRIES = 2;
    /**
     * How long the balancer keeps an idle connection to a web server: below the webapp's own idle timeout (Jetty,
     * 30 s), since a proxy that keeps one longer than the server sends requests on connections the server is closing.
     */
    public static final Duration BACKEND_IDLE_TIMEOUT = Duration.ofSeconds(20);

    private final String publicBind;
    private final String adminBind;
    private final List<Server> servers;

    /** One web server of the pool. */
    public static final class Server {
        private final String name;
        private final String address;

        public Server(String name, String address) {
            this.name = Objects.requireNonNull(name);
            this.address = Objects.requireNonNull(address);
        }

        public String name() {
            return name;
        }

        public String address() {
            return address;
        }
    }

    /**
     * @param publicBind host:port of the public listener
     * @param adminBind  host:port of the admin listener
     * @param servers    the web servers, in order
     */
    public BalancerConfigWriter(String publicBind, String adminBind, List<Server> servers) {
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("servers: at least one web server is needed");
        }
        this.publicBind = Objects.requireNonNull(publicBind);
        this.adminBind = Objects.requireNonNull(adminBind);
        this.servers = List.copyOf(servers);
    }

    /** The YAML text. */
    public String render() {
        String nl = "\n";
        StringBuilder y = new StringBuilder();
        y.append("# The balancer configuration of the foobar stack: www.foobar.com and foobar.com, spread over").append(nl);
        y.append("# the web servers with round-robin and active health checks.").append(nl);
        y.append("#").append(nl);
        y.append("# Written by foobar-stack at each start from its flags (--port, --web-instances ...). Edit it").append(nl);
        y.append("# freely while the stack runs: the balancer reloads it on save. The next start writes it again,").append(nl);
        y.append("# unless the stack is run with --balancer-config FILE, which it then uses as is.").append(nl);
        y.append("# Every key is described in the balancer's configuration reference (README.md).").append(nl);
        y.append(nl);
        y.append("listeners:").append(nl);
        y.append("  - name: public").append(nl);
        y.append("    bind: \"").append(publicBind).append('"').append(nl);
        y.append("    routes:                      # first match wins; host match ignores case and port").append(nl);
        y.append("      - hosts: [").append(String.join(", ", HOSTS)).append("]").append(nl);
        y.append("        path_prefix: /").append(nl);
        y.append("        pool: ").append(POOL).append(nl);
        y.append("    # Any other Host gets 421 with the reason. To send it to the shop as well, uncomment:").append(nl);
        y.append("    # default_pool: ").append(POOL).append(nl);
        y.append(nl);
        y.append("pools:").append(nl);
        y.append("  ").append(POOL).append(":").append(nl);
        y.append("    algorithm: round-robin       # or weighted-round-robin, least-connections, ip-hash ...").append(nl);
        y.append("    servers:").append(nl);
        for (Server s : servers) {
            y.append("      - { name: ").append(s.name()).append(", address: \"").append(s.address())
                    .append("\", weight: 1 }").append(nl);
        }
        y.append("    health_check: { path: ").append(HEALTH_PATH)
                .append(", interval: ").append(duration(HEALTH_INTERVAL))
                .append(", timeout: ").append(duration(HEALTH_TIMEOUT))
                .append(", rise: ").append(HEALTH_RISE)
                .append(", fall: ").append(HEALTH_FALL)
                .append(", expect_status: 200-399 }").append(nl);
        y.append("    retries: ").append(RETRIES)
                .append("                   # a GET that fails on a dead server is retried on another").append(nl);
        y.append("    keepalive: { idle_timeout: ").append(duration(BACKEND_IDLE_TIMEOUT))
                .append(" }   # below the web servers' 30 s, so that they never close one under a request").append(nl);
        y.append(nl);
        y.append("admin:                           # dashboard, /api/status, /metrics").append(nl);
        y.append("  bind: \"").append(adminBind).append('"').append(nl);
        y.append(nl);
        y.append("access_log: stdout               # the stack keeps it in its logs directory").append(nl);
        return y.toString();
    }

    /** Writes the file in one step: a reader (the balancer reloading it) never sees half of it. */
    public void writeTo(Path file) {
        Path dir = file.toAbsolutePath().getParent();
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
            try {
                Files.writeString(tmp, render(), StandardCharsets.UTF_8);
                try {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    static String duration(Duration d) {
        if (d.toMillis() % 1000 == 0) {
            return d.toSeconds() + "s";
        }
        return d.toMillis() + "ms";
    }
}
