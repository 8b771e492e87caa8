package com.foobar.chaos.load;

import java.io.EOFException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.client.BufferingResponseListener;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;

/**
 * A steady mixed load through the balancer, at a fixed rate (an open model, as wrk2 and k6's constant-arrival-rate
 * executor do: a stalled target does not slow the arrivals, so its stall shows as failures and gaps, not as fewer
 * requests). Reads cycle over the home page, product pages and the product API; writes order one unit of the run's
 * products in turn (several, as real orders spread over a catalogue: one hot row would make every write queue on its
 * lock), and each one records what the client was told (status, order id from {@code Location}) so acknowledged
 * writes can be looked up in the database afterwards.
 *
 * <p>Every request is recorded with its start and end on the scenario's {@link Clock}. Bounded: it stops by itself
 * after {@link LoadProfile#maxDuration()} or {@link LoadProfile#maxRequests()}, and never has more than
 * {@link LoadProfile#maxInFlight()} requests outstanding.
 */
public final class LoadGenerator implements AutoCloseable {

    /** The scheduler's step: requests owed since the last step are issued together. */
    private static final long TICK_MS = 5;
    private static final int MAX_BODY = 4 * 1024 * 1024;
    /** The shop's HTML error pages say what went wrong in their title. */
    private static final java.util.regex.Pattern HTML_TITLE =
            java.util.regex.Pattern.compile("<title>([^<]{1,200})</title>", java.util.regex.Pattern.CASE_INSENSITIVE);
    private static final java.util.regex.Pattern HTML_PARAGRAPH =
            java.util.regex.Pattern.compile("<p[^>]*>(.{1,400}?)</p>", java.util.regex.Pattern.CASE_INSENSITIVE
                    | java.util.regex.Pattern.DOTALL);

    private final ShopEndpoint endpoint;
    private final LoadProfile profile;
    private final Clock clock;
    private final List<Long> productIds;
    private final HttpClient client;
    private final ScheduledExecutorService ticker;
    private final Queue<RequestRecord> records = new ConcurrentLinkedQueue<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final List<String> readPaths;
    private final List<String> orderBodies;
    private volatile boolean stopped;
    private long issuedReads;
    private long issuedWrites;
    private double startedAtMs;

    private LoadGenerator(ShopEndpoint endpoint, LoadProfile profile, Clock clock, List<Long> productIds) {
        this.endpoint = endpoint;
        this.profile = profile;
        this.clock = clock;
        this.productIds = List.copyOf(productIds);
        this.client = Clients.started(endpoint, profile);
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "chaos-load");
            t.setDaemon(true);
            return t;
        });
        List<String> paths = new ArrayList<>();
        for (long id : this.productIds) {
            paths.addAll(List.of("/api/products", "/", "/products/" + id, "/api/products/" + id));
        }
        this.readPaths = List.copyOf(paths);
        this.orderBodies = this.productIds.stream().map(id -> "{\"product_id\":" + id + ",\"quantity\":1}").toList();
    }

    /** Starts the load at once; it runs until {@link #stop()} or its bounds. */
    public static LoadGenerator start(ShopEndpoint endpoint, LoadProfile profile, Clock clock, List<Long> productIds) {
        LoadGenerator load = new LoadGenerator(endpoint, profile, clock, productIds);
        load.startedAtMs = clock.nowMs();
        load.ticker.scheduleAtFixedRate(load::tick, 0, TICK_MS, TimeUnit.MILLISECONDS);
        return load;
    }

    private void tick() {
        if (stopped) {
            return;
        }
        double elapsedS = (clock.nowMs() - startedAtMs) / 1000.0;
        if (elapsedS >= profile.maxDuration().toMillis() / 1000.0
                || issuedReads + issuedWrites >= profile.maxRequests()) {
            stopped = true;
            return;
        }
        long owedReads = (long) (elapsedS * profile.readsPerSecond()) - issuedReads;
        long owedWrites = (long) (elapsedS * profile.writesPerSecond()) - issuedWrites;
        // Interleaved, so neither kind waits behind a burst of the other.
        while (owedReads > 0 || owedWrites > 0) {
            if (owedWrites > 0) {
                send(Operation.WRITE, "/api/orders");
                issuedWrites++;
                owedWrites--;
            }
            if (owedReads > 0) {
                send(Operation.READ, readPaths.get((int) (issuedReads % readPaths.size())));
                issuedReads++;
                owedReads--;
            }
        }
    }

    private void send(Operation op, String path) {
        double start = clock.nowMs();
        if (inFlight.get() >= profile.maxInFlight()) {
            records.add(new RequestRecord(op, path, start, start, 0, FailureKind.NOT_SENT, null, null, 0,
                    "more than " + profile.maxInFlight() + " requests in flight"));
            return;
        }
        inFlight.incrementAndGet();
        Request request = client.newRequest(URI.create(endpoint.baseUrl() + path))
                .timeout(profile.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        if (op == Operation.WRITE) {
            String body = orderBodies.get((int) (issuedWrites % orderBodies.size()));
            request.method(HttpMethod.POST).body(new StringRequestContent("application/json", body));
        } else {
            request.method(HttpMethod.GET);
        }
        request.send(new BufferingResponseListener(MAX_BODY) {
            @Override
            public void onComplete(Result result) {
                try {
                    records.add(recordOf(op, path, start, clock.nowMs(), result, getContentAsString()));
                } finally {
                    inFlight.decrementAndGet();
                }
            }
        });
    }

    static RequestRecord recordOf(Operation op, String path, double start, double end, Result result, String body) {
        Response response = result.getResponse();
        String servedBy = response == null ? null : response.getHeaders().get("X-Served-By");
        String dbNode = response == null ? null : response.getHeaders().get("X-Db-Node");
        if (result.isFailed()) {
            int status = response == null ? 0 : response.getStatus();
            Throwable failure = result.getFailure();
            return new RequestRecord(op, path, start, end, status, classify(failure), servedBy, dbNode, 0,
                    failure.getClass().getSimpleName() + ": " + failure.getMessage());
        }
        int status = response.getStatus();
        if (status >= 400 || status < 200) {
            return new RequestRecord(op, path, start, end, status, FailureKind.HTTP_STATUS, servedBy, dbNode, 0,
                    reason(body));
        }
        long orderId = op == Operation.WRITE ? orderId(response.getHeaders().get(HttpHeader.LOCATION)) : 0;
        return new RequestRecord(op, path, start, end, status, FailureKind.NONE, servedBy, dbNode, orderId, "");
    }

    /** The one-line reason of an error answer: the shop's {@code {"error": ...}}, else the start of the body. */
    static String reason(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        try {
            com.fasterxml.jackson.databind.JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(body);
            if (json != null && json.hasNonNull("error")) {
                return json.get("error").asText();
            }
        } catch (java.io.IOException e) {
            // Not JSON: the balancer's own answers are plain text.
        }
        java.util.regex.Matcher title = HTML_TITLE.matcher(body);
        if (title.find()) {
            java.util.regex.Matcher p = HTML_PARAGRAPH.matcher(body);
            String text = p.find() ? ": " + p.group(1).replaceAll("<[^>]*>", "").strip() : "";
            String line = title.group(1).strip() + text;
            return line.length() > 200 ? line.substring(0, 200) + "..." : line;
        }
        String line = body.strip().lines().findFirst().orElse("");
        return line.length() > 160 ? line.substring(0, 160) + "..." : line;
    }

    /** {@code /api/orders/123} gives 123; anything else 0 (a write without an id is not acknowledged). */
    static long orderId(String location) {
        if (location == null) {
            return 0;
        }
        int slash = location.lastIndexOf('/');
        try {
            return Long.parseLong(location.substring(slash + 1));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** What a failure without a complete answer was, from the exception the client gave and its causes. */
    static FailureKind classify(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof NoRouteToHostException) {
                return FailureKind.CONNECT;
            }
            if (t instanceof SocketTimeoutException && String.valueOf(t.getMessage()).contains("Connect")) {
                return FailureKind.CONNECT;
            }
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof TimeoutException || t instanceof SocketTimeoutException) {
                return FailureKind.TIMEOUT;
            }
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof EOFException || t instanceof java.io.IOException) {
                return FailureKind.IO;
            }
        }
        return FailureKind.IO;
    }

    /** The requests answered (or failed) so far, in no particular order: for watching a scenario as it goes. */
    public List<RequestRecord> snapshot() {
        return new ArrayList<>(records);
    }

    /**
     * Stops issuing requests, waits for those in flight (at most the request timeout and a second), and returns every
     * request in the order they started.
     */
    public List<RequestRecord> stop() {
        stopped = true;
        ticker.shutdownNow();
        long deadline = System.nanoTime() + profile.requestTimeout().plusSeconds(1).toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        Clients.stop(client);
        List<RequestRecord> all = new ArrayList<>(records);
        all.sort(Comparator.comparingDouble(RequestRecord::startMs));
        return all;
    }

    @Override
    public void close() {
        if (!stopped) {
            stop();
        } else {
            ticker.shutdownNow();
            Clients.stop(client);
        }
    }
}
