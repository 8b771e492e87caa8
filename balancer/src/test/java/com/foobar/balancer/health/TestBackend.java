package com.foobar.balancer.health;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A small real HTTP backend on 127.0.0.1 with an ephemeral port: {@code /health} answers {@link #healthStatus}, every
 * other path 200 with the backend's name. Records the last Host header and counts health checks.
 */
public final class TestBackend implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(2);
    private final AtomicInteger healthStatus = new AtomicInteger(200);
    private final AtomicInteger status = new AtomicInteger(200);
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger healthChecks = new AtomicInteger();
    private final AtomicReference<String> lastHealthHost = new AtomicReference<>();
    private final AtomicReference<String> lastHealthPath = new AtomicReference<>();

    public TestBackend(String name) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            int answer;
            byte[] body = name.getBytes(StandardCharsets.UTF_8);
            if (path.startsWith("/health")) {
                healthChecks.incrementAndGet();
                lastHealthHost.set(exchange.getRequestHeaders().getFirst("Host"));
                lastHealthPath.set(path);
                answer = healthStatus.get();
            } else {
                requests.incrementAndGet();
                answer = status.get();
            }
            exchange.sendResponseHeaders(answer, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String address() {
        return "127.0.0.1:" + port();
    }

    public void healthStatus(int status) {
        healthStatus.set(status);
    }

    /** The status of every answer but /health. */
    public void status(int code) {
        status.set(code);
    }

    /** Requests other than /health served so far. */
    public int requests() {
        return requests.get();
    }

    public int healthChecks() {
        return healthChecks.get();
    }

    public String lastHealthHost() {
        return lastHealthHost.get();
    }

    public String lastHealthPath() {
        return lastHealthPath.get();
    }

    @Override
    public void close() {
        // The JDK server's stop() closes the socket at once but then idles up to a second in its dispatcher; let a
        // daemon thread sit through that so tests do not.
        Thread stopper = new Thread(() -> {
            server.stop(0);
            executor.shutdownNow();
        }, "stop-" + port());
        stopper.setDaemon(true);
        stopper.start();
    }
}
