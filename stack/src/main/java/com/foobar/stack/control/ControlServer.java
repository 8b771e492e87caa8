package com.foobar.stack.control;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The stack's control API, on loopback only: stop, start and restart one component on purpose, as
 * {@code supervisorctl stop|start|restart NAME} does for supervisord, so that an operator (or the chaos suite's
 * rolling restart) can take one web server out and bring it back without stopping the stack.
 *
 * <pre>
 * GET  /api/components                  {"components":[{"name","state","pid","restarts","controllable"}, ...]}
 * GET  /api/components/{name}           one of them
 * POST /api/components/{name}/stop      200 once it has exited (SIGTERM, then SIGKILL after its grace period)
 * POST /api/components/{name}/start     200 once it is ready again (a web server: its /ready answers 200)
 * POST /api/components/{name}/restart   stop, then start
 * </pre>
 *
 * Errors are one line of plain text: 404 for an unknown name or path, 405 with {@code Allow} for a wrong method,
 * 409 when the component is in the wrong state or cannot be controlled on its own (the database), 503 when the stack
 * is stopping. The JDK's own HTTP server is enough for a handful of local requests; nothing here is on a hot path.
 */
public final class ControlServer implements AutoCloseable {

    private static final Pattern ONE = Pattern.compile("^/api/components/([A-Za-z0-9._-]+)$");
    private static final Pattern ACTION = Pattern.compile("^/api/components/([A-Za-z0-9._-]+)/(stop|start|restart)$");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor;
    private final Components components;
    private final Consumer<String> notices;
    /** One control action at a time: a stop racing a start of the same component would leave it undefined. */
    private final Object actions = new Object();

    private ControlServer(HttpServer server, ExecutorService executor, Components components,
                          Consumer<String> notices) {
        this.server = server;
        this.executor = executor;
        this.components = components;
        this.notices = notices;
    }

    /**
     * Binds {@code address} and serves until {@link #close()}.
     *
     * @param notices where each action is told (the stack's console), one line per call
     */
    public static ControlServer start(InetSocketAddress address, Components components, Consumer<String> notices)
            throws IOException {
        HttpServer server = HttpServer.create(address, 16);
        ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "stack-control");
            t.setDaemon(true);
            return t;
        });
        ControlServer control = new ControlServer(server, executor, components, notices);
        server.createContext("/", control::handle);
        server.setExecutor(executor);
        server.start();
        return control;
    }

    /** The address it listens on (its port, when it was asked for port 0). */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            try {
                if (path.equals("/api/components")) {
                    requireMethod(exchange, method, "GET");
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("components", components.list());
                    sendJson(exchange, 200, body);
                    return;
                }
                Matcher one = ONE.matcher(path);
                if (one.matches()) {
                    requireMethod(exchange, method, "GET");
                    sendJson(exchange, 200, find(one.group(1)));
                    return;
                }
                Matcher action = ACTION.matcher(path);
                if (action.matches()) {
                    requireMethod(exchange, method, "POST");
                    sendJson(exchange, 200, act(action.group(1), action.group(2)));
                    return;
                }
                throw new ControlException(404, "no such resource: " + path
                        + " (see GET /api/components)");
            } catch (ControlException e) {
                sendText(exchange, e.status(), e.getMessage());
            } catch (RuntimeException e) {
                sendText(exchange, 500, "internal error: " + e);
            }
        }
    }

    private ComponentView find(String name) throws ControlException {
        return components.list().stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new ControlException(404, "no such component: " + name));
    }

    private ComponentView act(String name, String action) throws ControlException {
        synchronized (actions) {
            long start = System.nanoTime();
            notices.accept("control API: " + action + " " + name);
            try {
                ComponentView view = switch (action) {
                    case "stop" -> components.stop(name);
                    case "start" -> components.start(name);
                    default -> {
                        components.stop(name);
                        yield components.start(name);
                    }
                };
                notices.accept(String.format(java.util.Locale.ROOT, "control API: %s %s done in %.1fs: %s%s",
                        action, name, (System.nanoTime() - start) / 1e9, view.state(),
                        view.pid() > 0 ? " (pid " + view.pid() + ")" : ""));
                return view;
            } catch (ControlException e) {
                notices.accept("control API: " + action + " " + name + " refused: " + e.getMessage());
                throw e;
            }
        }
    }

    private static void requireMethod(HttpExchange exchange, String method, String allowed) throws ControlException {
        if (!method.equals(allowed)) {
            exchange.getResponseHeaders().set("Allow", allowed);
            throw new ControlException(405, method + " is not allowed here; use " + allowed);
        }
    }

    private static void sendJson(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IOException(e);
        }
        send(exchange, status, "application/json", bytes);
    }

    private static void sendText(HttpExchange exchange, int status, String line) throws IOException {
        send(exchange, status, "text/plain; charset=utf-8", (line + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] bytes) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** Stops serving at once: an action in progress ends with the stack, which stops every component anyway. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
