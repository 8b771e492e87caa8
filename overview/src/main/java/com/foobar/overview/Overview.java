package com.foobar.overview;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The whole architecture on one page: polls every source each interval and serves the page and its data.
 *
 * <pre>
 * GET /               the page (diagram, charts, events), refreshed every interval
 * GET /api/overview   what it draws: {"at","balancers","webs","databases","failover","req_s","errors_s","p99_ms",
 *                     "series":{"t","req_s","errors_s","p99_ms","lag_s"},"events"}
 * </pre>
 *
 * The JDK's HTTP server is enough: one page a person (or a test's browser) polls twice a second.
 */
public final class Overview implements AutoCloseable {
    private static final String PAGE = "com/foobar/overview/page/";
    private static final String UPLOT = "META-INF/resources/webjars/uplot/" + uplotVersion() + "/dist/";
    /** The page's files: path -> {resource, content type}. uPlot comes from its npm package, as published. */
    private static final Map<String, String[]> FILES = Map.of(
            "/", new String[] {PAGE + "index.html", "text/html; charset=utf-8"},
            "/overview.js", new String[] {PAGE + "overview.js", "text/javascript; charset=utf-8"},
            "/overview.css", new String[] {PAGE + "overview.css", "text/css; charset=utf-8"},
            "/uPlot.iife.min.js", new String[] {UPLOT + "uPlot.iife.min.js", "text/javascript; charset=utf-8"},
            "/uPlot.min.css", new String[] {UPLOT + "uPlot.min.css", "text/css; charset=utf-8"});

    private static final Logger LOG = LoggerFactory.getLogger(Overview.class);

    private final HttpServer server;
    private final ScheduledExecutorService timer;
    private final ExecutorService io;
    private final AtomicReference<byte[]> latest = new AtomicReference<>();

    private Overview(HttpServer server, ScheduledExecutorService timer, ExecutorService io) {
        this.server = server;
        this.timer = timer;
        this.io = io;
    }

    /**
     * Binds the page's address, polls once (so the first page is never empty), then polls every interval until
     * {@link #close()}.
     *
     * @throws IOException when the address cannot be bound
     */
    public static Overview start(OverviewConfig config) throws IOException {
        return start(config, null);
    }

    /**
     * As {@link #start(OverviewConfig)}, for a supervisor that runs the overview in its own process: {@code processes}
     * tells each component's process state by name ({@code running}, {@code starting}, {@code exited},
     * {@code stopped}; database nodes as {@code db-<node>}), so a process that exited shows as down at the next poll,
     * before any probe notices. It is asked once per poll and must not block.
     */
    public static Overview start(OverviewConfig config, Supplier<Map<String, String>> processes) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(config.bind(), config.port()), 32);
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "overview-poll"));
        ExecutorService io = Executors.newFixedThreadPool(2, r -> daemon(r, "overview-io"));
        Overview overview = new Overview(server, timer, io);
        Poller poller = new Poller(config, io, processes);
        Assembler assembler = new Assembler(config);
        Runnable tick = () -> {
            try {
                ObjectNode doc = assembler.next(poller.poll());
                overview.latest.set(Assembler.JSON.writeValueAsBytes(doc));
            } catch (RuntimeException | IOException e) {
                // A bug here must not stop the polling: the page shows the last good picture meanwhile.
                LOG.error("a poll failed; the page keeps the last good picture", e);
            }
        };
        tick.run();
        timer.scheduleWithFixedDelay(tick, config.interval().toMillis(), config.interval().toMillis(),
                TimeUnit.MILLISECONDS);
        server.setExecutor(io);
        server.createContext("/", overview::handle);
        server.start();
        return overview;
    }

    /** Where a browser on this machine opens the page. */
    public URI uri() {
        InetSocketAddress a = server.getAddress();
        String host = a.getAddress().isAnyLocalAddress() ? "127.0.0.1" : a.getAddress().getHostAddress();
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort() + "/");
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String[] file = FILES.get(path);
            boolean api = path.equals("/api/overview");
            if (file == null && !api) {
                send(exchange, 404, "text/plain; charset=utf-8",
                        ("not found: " + path + " (try / or /api/overview)\n").getBytes(StandardCharsets.UTF_8));
            } else if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                send(exchange, 405, "text/plain; charset=utf-8", "method not allowed: use GET\n"
                        .getBytes(StandardCharsets.UTF_8));
            } else if (api) {
                byte[] doc = latest.get();
                if (doc == null) { // the first poll failed (logged): nothing true to show yet
                    send(exchange, 503, "text/plain; charset=utf-8", "no poll has completed yet; see the log\n"
                            .getBytes(StandardCharsets.UTF_8));
                } else {
                    send(exchange, 200, "application/json", doc);
                }
            } else {
                send(exchange, 200, file[1], resource(file[0]));
            }
        }
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : body.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static byte[] resource(String name) {
        try (InputStream in = Overview.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The bundled uPlot's version, from its package's Maven metadata (so the pom alone says which one ships). */
    private static String uplotVersion() {
        String props = "META-INF/maven/org.webjars.npm/uplot/pom.properties";
        try (InputStream in = Overview.class.getClassLoader().getResourceAsStream(props)) {
            java.util.Properties p = new java.util.Properties();
            if (in == null) {
                throw new IllegalStateException(props + " is missing: is org.webjars.npm:uplot on the classpath?");
            }
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    @Override
    public void close() {
        server.stop(0);
        timer.shutdownNow();
        io.shutdownNow();
    }
}
