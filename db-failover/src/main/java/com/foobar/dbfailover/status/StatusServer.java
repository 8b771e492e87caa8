package com.foobar.dbfailover.status;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The decider's HTTP endpoint: {@code GET /api/status} (JSON), {@code GET /metrics} (Prometheus text),
 * {@code GET /health} (200 while it runs). Served by the JDK's own HTTP server, as Prometheus' Java client serves its
 * metrics: a few requests a second from a dashboard and a scraper need no more. Anything else gets 404 or 405 with a
 * one-line reason.
 */
public final class StatusServer implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private final HttpServer server;
    private final ExecutorService executor;

    private StatusServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Binds and serves; an address in use throws here, before anything else started. */
    public static StatusServer start(String host, int port, Supplier<StatusSnapshot> status,
                                     PrometheusMeterRegistry registry) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 16);
        ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "status-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            try (exchange) {
                serve(exchange, status, registry);
            }
        });
        server.start();
        return new StatusServer(server, executor);
    }

    private static void serve(HttpExchange ex, Supplier<StatusSnapshot> status, PrometheusMeterRegistry registry)
            throws IOException {
        String method = ex.getRequestMethod();
        String path = ex.getRequestURI().getPath();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            ex.getResponseHeaders().add("Allow", "GET, HEAD");
            send(ex, 405, "text/plain; charset=utf-8", method + " is not allowed here; use GET\n");
            return;
        }
        switch (path) {
            case "/api/status" -> send(ex, 200, "application/json", JSON.writeValueAsString(status.get()) + "\n");
            case "/metrics" -> send(ex, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape());
            case "/health" -> send(ex, 200, "text/plain; charset=utf-8", "ok\n");
            case "/" -> send(ex, 200, "text/plain; charset=utf-8",
                    "db-failover: GET /api/status (JSON), /metrics (Prometheus), /health\n");
            default -> send(ex, 404, "text/plain; charset=utf-8", "no such endpoint: " + path
                    + " (there are /api/status, /metrics, /health)\n");
        }
    }

    private static void send(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
