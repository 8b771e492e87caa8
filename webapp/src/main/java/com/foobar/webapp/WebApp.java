package com.foobar.webapp;

import com.foobar.dbrouter.RouterConfig;
import com.foobar.dbrouter.RoutingDataSource;
import com.foobar.webapp.db.EmbeddedDatabase;
import com.foobar.webapp.db.SchemaMigrator;
import com.foobar.webapp.shop.ShopRepository;
import com.foobar.webapp.web.ReadinessChecker;
import com.foobar.webapp.web.ShopServer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.eclipse.jetty.server.NetworkConnector;
import org.eclipse.jetty.server.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One running web server of the shop: Jetty, its db-router pools, its metrics, and (when it was given no
 * database) its own embedded replicated pair. {@link #close()} shuts down gracefully: it stops accepting, lets
 * in-flight requests finish (up to the shutdown timeout), then closes the pools.
 */
public final class WebApp implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WebApp.class);

    private final WebAppConfig config;
    private final Server server;
    private final RoutingDataSource router;
    private final PrometheusMeterRegistry registry;
    private final JvmGcMetrics gcMetrics;
    private final EmbeddedDatabase embedded;
    private final String schemaVersion;
    private boolean closed;

    private WebApp(WebAppConfig config, Server server, RoutingDataSource router, PrometheusMeterRegistry registry,
                   JvmGcMetrics gcMetrics, EmbeddedDatabase embedded, String schemaVersion) {
        this.config = config;
        this.server = server;
        this.router = router;
        this.registry = registry;
        this.gcMetrics = gcMetrics;
        this.embedded = embedded;
        this.schemaVersion = schemaVersion;
    }

    /**
     * Migrates the schema, opens the pools and starts serving. Without a primary in {@code config}, an embedded
     * pair is started first (full jar only).
     */
    public static WebApp start(WebAppConfig config) throws Exception {
        Objects.requireNonNull(config, "config");
        EmbeddedDatabase embedded = null;
        RoutingDataSource router = null;
        PrometheusMeterRegistry registry = null;
        JvmGcMetrics gc = null;
        Server server = null;
        try {
            if (config.primaryUrl().isEmpty()) {
                LOG.info("no database given: starting an embedded primary and replica");
                embedded = EmbeddedDatabase.start();
                config = config.withDatabase(embedded.primaryUrl(), embedded.replicaUrls(), embedded.user(),
                        embedded.password());
            }
            String primary = config.primaryUrl().orElseThrow();

            registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            registry.config().commonTags("server", config.name());
            new JvmMemoryMetrics().bindTo(registry);
            new JvmThreadMetrics().bindTo(registry);
            new ProcessorMetrics().bindTo(registry);
            new UptimeMetrics().bindTo(registry);
            gc = new JvmGcMetrics();
            gc.bindTo(registry);

            // --primary and --replica are the nodes to watch; the router finds the writer among them.
            RouterConfig.Builder routerConfig = RouterConfig.builder()
                    .primaryUrl(primary)
                    .replicaUrls(config.replicaUrls())
                    .username(config.dbUser())
                    .password(config.dbPassword());
            config.causalReadTimeout().ifPresent(routerConfig::causalReadTimeout);
            config.writerWait().ifPresent(routerConfig::writerWaitTimeout);
            RouterConfig rc = routerConfig.build();
            router = new RoutingDataSource(rc, registry);
            // Through the router, so the schema goes to whichever node is the writer now (after a failover the
            // configured primary may be a replica).
            String version = SchemaMigrator.migrate(router, "the database writer ("
                    + router.health().writer().orElse("none yet") + ")");
            RoutingDataSource r = router;
            ReadinessChecker readiness = () -> Readiness.of(r.health(), rc.primaryAcceptsReads());
            server = ShopServer.create(config.name(), config.bind(), config.port(), config.shutdownTimeout(),
                    config.trustedProxies(), new ShopRepository(router), registry, readiness,
                    new RouterReport(r::health, rc.nodes(), registry));
            server.start();
            return new WebApp(config, server, router, registry, gc, embedded, version);
        } catch (Exception | Error e) {
            closeQuietly(server, router, registry, gc, embedded);
            throw e;
        }
    }

    public String name() {
        return config.name();
    }

    public WebAppConfig config() {
        return config;
    }

    /** The port actually bound (differs from the configured one when that was 0). */
    public int port() {
        return ((NetworkConnector) server.getConnectors()[0]).getLocalPort();
    }

    /** Where a client on this machine reaches the server. */
    public URI uri() {
        String host = config.bind().equals("0.0.0.0") || config.bind().equals("::") ? "127.0.0.1" : config.bind();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return URI.create("http://" + host + ":" + port() + "/");
    }

    public String schemaVersion() {
        return schemaVersion;
    }

    public RoutingDataSource dataSource() {
        return router;
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Requests being served right now; {@link #close()} waits for them to finish. */
    public long activeRequests() {
        return ShopServer.activeRequests(server);
    }

    /** Blocks until the server has stopped. */
    public void join() throws InterruptedException {
        server.join();
    }

    /** The startup table: what runs, and where. */
    public String describe() {
        List<String[]> rows = new ArrayList<>();
        String base = uri().toString();
        rows.add(new String[] {"shop", base});
        rows.add(new String[] {"api", base + "api/products"});
        rows.add(new String[] {"health", base + "health"});
        rows.add(new String[] {"ready", base + "ready"});
        rows.add(new String[] {"metrics", base + "metrics"});
        rows.add(new String[] {"listening", config.bind() + ":" + port()});
        rows.add(new String[] {"trusted proxies", config.trustedProxies().isEmpty()
                ? "any peer accepted (no --trusted-proxies)"
                : config.trustedProxies() + " (others get 403; /health open to loopback)"});
        rows.add(new String[] {"db primary", config.primaryUrl().orElse("")});
        for (int i = 0; i < config.replicaUrls().size(); i++) {
            rows.add(new String[] {"db replica-" + (i + 1), config.replicaUrls().get(i)});
        }
        rows.add(new String[] {"db schema", "version " + schemaVersion});
        if (embedded != null) {
            rows.add(new String[] {"db mode", "embedded MariaDB pair (data discarded on exit)"});
        }
        int width = rows.stream().mapToInt(r -> r[0].length()).max().orElse(0);
        StringBuilder sb = new StringBuilder();
        sb.append("webapp ").append(config.name()).append(" started\n");
        for (String[] r : rows) {
            sb.append("  ").append(String.format("%-" + width + "s", r[0])).append("  ").append(r[1]).append('\n');
        }
        return sb.toString();
    }

    /** Graceful: stop accepting, finish in-flight requests, then close the pools (and the embedded pair). */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeQuietly(server, router, registry, gcMetrics, embedded);
    }

    private static void closeQuietly(Server server, RoutingDataSource router, PrometheusMeterRegistry registry,
                                     JvmGcMetrics gc, EmbeddedDatabase embedded) {
        if (server != null) {
            try {
                server.stop();
            } catch (Exception e) {
                LOG.warn("stopping the HTTP server: {}", e.toString());
            }
        }
        if (router != null) {
            try {
                router.close();
            } catch (Exception e) {
                LOG.warn("closing the database pools: {}", e.toString());
            }
        }
        if (gc != null) {
            gc.close();
        }
        if (registry != null) {
            registry.close();
        }
        if (embedded != null) {
            try {
                embedded.close();
            } catch (RuntimeException e) {
                LOG.warn("stopping the embedded database: {}", e.toString());
            }
        }
    }
}
