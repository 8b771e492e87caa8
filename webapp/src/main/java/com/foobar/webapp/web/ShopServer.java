package com.foobar.webapp.web;

import com.foobar.webapp.net.TrustedProxies;
import com.foobar.webapp.shop.ShopRepository;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.servlet.DispatcherType;
import org.eclipse.jetty.compression.gzip.GzipCompression;
import org.eclipse.jetty.compression.server.CompressionConfig;
import org.eclipse.jetty.compression.server.CompressionHandler;
import org.eclipse.jetty.ee10.servlet.ResourceServlet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.CustomRequestLog;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.Slf4jRequestLogWriter;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.resource.Resource;
import org.eclipse.jetty.util.resource.ResourceFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;

/**
 * Assembles the Jetty server of one web instance: connector, graceful shutdown, {@code X-Served-By}, gzip, the
 * servlets, static assets and the access log. The server is returned unstarted.
 */
public final class ShopServer {

    /** Threads serving requests; JDBC calls block, so there are more than cores, but bounded like the pools. */
    public static final int MAX_THREADS = 200;
    public static final int MIN_THREADS = 8;
    public static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);
    /** Static assets are not versioned by name, so browsers revalidate them (with the ETag) after an hour. */
    public static final String STATIC_CACHE_CONTROL = "public, max-age=3600";
    /** Logger of the access log, one line per request. */
    public static final String ACCESS_LOG = "com.foobar.webapp.access";
    static final String STATIC_ASSETS = "com/foobar/webapp/public/static/";
    static final String ACCESS_LOG_FORMAT =
            "%{client}a \"%r\" %s %O %{ms}Tms served-by=%{X-Served-By}o db=%{X-Db-Node}o";

    private ShopServer() {
    }

    /**
     * The shop's server, not started. With trusted proxies, every other peer is refused with 403 (but {@code /health} from loopback) and
     * the client address (access log, servlets) comes from {@code X-Forwarded-For} of the trusted ones.
     */
    public static Server create(String name, String bind, int port, Duration stopTimeout,
                                TrustedProxies trustedProxies, ShopRepository shop,
                                PrometheusMeterRegistry registry, ReadinessChecker readiness,
                                DatabaseReport database) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(trustedProxies, "trustedProxies");
        QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, MIN_THREADS);
        threads.setName(name + "-http");
        Server server = new Server(threads);

        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        if (!trustedProxies.isEmpty()) {
            http.addCustomizer(trustedProxies.newClientAddressCustomizer());
        }
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(bind);
        connector.setPort(port);
        connector.setIdleTimeout(IDLE_TIMEOUT.toMillis());
        server.addConnector(connector);

        ShopMetrics metrics = new ShopMetrics(registry);
        WebServices services = new WebServices(name, shop, new Pages(), metrics, readiness, database, registry::scrape);

        ServletContextHandler context = new ServletContextHandler(ServletContextHandler.NO_SESSIONS);
        context.setContextPath("/");
        // The assets ship inside the jar; the context's base resource is what ResourceServlet serves /static/* from.
        Resource assets = ResourceFactory.of(context).newClassLoaderResource(STATIC_ASSETS);
        if (assets == null || !assets.exists()) {
            throw new IllegalStateException("static assets " + STATIC_ASSETS + " are missing from the classpath");
        }
        context.setBaseResource(assets);
        context.addFilter(new FilterHolder(new RequestMetricsFilter(metrics)), "/*",
                EnumSet.of(DispatcherType.REQUEST));

        add(context, "home", new HomePageServlet(services), "");
        add(context, "product_page", new ProductPageServlet(services), "/products/*");
        add(context, "orders_page", new OrdersPageServlet(services), "/orders");
        add(context, "products_api", new ProductsApiServlet(services), "/api/products", "/api/products/*");
        add(context, "orders_api", new OrdersApiServlet(services), "/api/orders", "/api/orders/*");
        add(context, "health", new HealthServlet(services), "/health");
        add(context, "ready", new ReadyServlet(services), "/ready");
        add(context, "status", new StatusServlet(services), "/api/status");
        add(context, "metrics", new MetricsServlet(services), "/metrics");
        add(context, "not_found", new NotFoundServlet(services), "/");

        // ResourceServlet (not DefaultServlet, which Jetty 12.1 keeps for the "/" mapping) serves /static/*.
        ServletHolder statics = new ServletHolder("static", ResourceServlet.class);
        statics.setInitParameter("dirAllowed", "false");
        statics.setInitParameter("etags", "true");
        statics.setInitParameter("cacheControl", STATIC_CACHE_CONTROL);
        statics.setInitParameter("acceptRanges", "false");
        context.addServlet(statics, "/static/*");

        // What our servlets do not answer themselves (a missing static file, a request Jetty refuses to parse)
        // gets Jetty's short error page: never a stack trace, never a cause.
        ErrorHandler errors = new ErrorHandler();
        errors.setShowStacks(false);
        errors.setShowCauses(false);
        errors.setShowMessageInTitle(false);
        server.setErrorHandler(errors);
        org.eclipse.jetty.ee10.servlet.ErrorHandler contextErrors = new org.eclipse.jetty.ee10.servlet.ErrorHandler();
        contextErrors.setShowStacks(false);
        contextErrors.setShowCauses(false);
        contextErrors.setShowMessageInTitle(false);
        context.setErrorHandler(contextErrors);

        CompressionHandler gzip = new CompressionHandler(context);
        gzip.putCompression(new GzipCompression());
        gzip.putConfiguration("/*", CompressionConfig.builder().defaults().build());

        // The gate sits inside X-Served-By (a 403 still says who refused) and in front of everything else.
        Handler app = trustedProxies.isEmpty() ? gzip : trustedProxies.newGate(gzip, registry);
        GracefulHandler graceful = new GracefulHandler(new ServedByHandler(name, app));
        server.setHandler(graceful);
        Gauge.builder("webapp.http.requests.active", graceful, GracefulHandler::getCurrentRequestCount)
                .description("Requests being served; a graceful shutdown waits for them")
                .register(registry);
        server.setStopTimeout(stopTimeout.toMillis());

        Slf4jRequestLogWriter writer = new Slf4jRequestLogWriter();
        writer.setLoggerName(ACCESS_LOG);
        CustomRequestLog requestLog = new CustomRequestLog(writer, ACCESS_LOG_FORMAT);
        requestLog.setFilter((request, response) -> accessLogged(Request.getPathInContext(request),
                response.getStatus()));
        server.setRequestLog(requestLog);
        return server;
    }

    /**
     * Whether a request gets an access log line. The balancer's health checks and the readiness probes come every
     * second and say nothing while they pass: a passed one is not logged (as HAProxy's {@code dontlog-normal} does for
     * what is normal), a failed one is.
     */
    public static boolean accessLogged(String path, int status) {
        boolean probe = path.equals("/health") || path.equals("/ready");
        return !probe || status >= 400;
    }

    /** Requests the server is serving right now. */
    public static long activeRequests(Server server) {
        GracefulHandler graceful = server.getDescendant(GracefulHandler.class);
        return graceful == null ? 0 : graceful.getCurrentRequestCount();
    }

    private static void add(ServletContextHandler context, String name, Endpoint servlet, String... paths) {
        ServletHolder holder = new ServletHolder(name, servlet);
        for (String path : paths) {
            context.addServlet(holder, path);
        }
    }
}
