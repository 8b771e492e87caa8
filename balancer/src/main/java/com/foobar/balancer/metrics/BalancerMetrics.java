package com.foobar.balancer.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The balancer's Prometheus metrics, all named {@code balancer_*}. Meters are created once per label combination and
 * cached in nested maps keyed by the strings the caller already holds, so recording a request allocates nothing.
 */
public final class BalancerMetrics {
    /** Used for the pool or server label when a request never got that far. */
    public static final String NONE = "-";
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private static final String[] STATUS_CLASSES = {"other", "1xx", "2xx", "3xx", "4xx", "5xx"};
    /** Bucket bounds fit for an L7 proxy: sub-millisecond local hops up to slow uploads. */
    private static final Duration[] LATENCY_BUCKETS = {
        Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10),
        Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
        Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60)};

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ConcurrentMap<String, ConcurrentMap<String, ConcurrentMap<String, RequestMeters>>> requests =
            new ConcurrentHashMap<>();
    private final ConcurrentMap<String, ConcurrentMap<String, Timer>> upstreamTimers = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, ConnectionMeters> clientConnections = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, ConnectionMeters> tunnels = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, ConcurrentMap<String, ConnectionMeters>> upstreamConnections =
            new ConcurrentHashMap<>();
    private final ConcurrentMap<String, ConcurrentMap<String, ConcurrentMap<String, Counter>>> retries =
            new ConcurrentHashMap<>();
    private final ConcurrentMap<String, ConcurrentMap<String, Counter>> ejections = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, ConcurrentMap<String, Counter>> noServer = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Counter[]> refused = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Counter> rateLimited = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Counter> http2Streams = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, ConcurrentMap<String, Counter>> clientTimeouts = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, ConcurrentMap<Integer, Counter>> rejected = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, ConcurrentMap<String, Counter[]>> healthChecks = new ConcurrentHashMap<>();

    public BalancerMetrics() {
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** The Prometheus text exposition; serve with {@link #CONTENT_TYPE}. */
    public String scrape() {
        return registry.scrape();
    }

    /**
     * One finished request.
     *
     * @param pool   the pool name or {@link #NONE} when no route matched
     * @param server the server name or {@link #NONE} when none was reached
     * @param upstreamNanos time from sending to the server to the end of its response; negative when there was none
     */
    public void requestCompleted(String listener, String pool, String server, int status, long totalNanos,
            long upstreamNanos) {
        RequestMeters m = requestMeters(listener, pool, server);
        int cls = status / 100;
        m.byClass[cls >= 1 && cls <= 5 ? cls : 0].increment();
        m.total.record(totalNanos, TimeUnit.NANOSECONDS);
        if (upstreamNanos >= 0 && m.upstream != null) {
            m.upstream.record(upstreamNanos, TimeUnit.NANOSECONDS);
        }
    }

    /** Plain gets first: a capturing lambda handed to computeIfAbsent would be allocated on every request. */
    private RequestMeters requestMeters(String listener, String pool, String server) {
        ConcurrentMap<String, ConcurrentMap<String, RequestMeters>> byPool = requests.get(listener);
        if (byPool != null) {
            ConcurrentMap<String, RequestMeters> byServer = byPool.get(pool);
            if (byServer != null) {
                RequestMeters m = byServer.get(server);
                if (m != null) {
                    return m;
                }
            }
        }
        return requests.computeIfAbsent(listener, k -> new ConcurrentHashMap<>())
                .computeIfAbsent(pool, k -> new ConcurrentHashMap<>())
                .computeIfAbsent(server, k -> new RequestMeters(listener, pool, server));
    }

    /**
     * What has passed through so far, summed from the request meters: responses by status class, for all requests
     * and per pool and server, and the cumulative latency histogram of all requests. Counters only grow; a reader
     * takes differences between two snapshots for rates and a recent percentile, as Prometheus's {@code rate} and
     * {@code histogram_quantile} do.
     */
    public Traffic traffic() {
        long[] total = new long[STATUS_CLASSES.length];
        double[] bucketCounts = new double[LATENCY_BUCKETS.length];
        long[] timed = new long[1];
        Map<String, Map<String, long[]>> byServer = new TreeMap<>();
        requests.values().forEach(byPool -> byPool.forEach((pool, servers) -> servers.forEach((server, m) -> {
            long[] mine = byServer.computeIfAbsent(pool, k -> new TreeMap<>())
                    .computeIfAbsent(server, k -> new long[STATUS_CLASSES.length]);
            for (int i = 0; i < STATUS_CLASSES.length; i++) {
                long n = (long) m.byClass[i].count();
                total[i] += n;
                mine[i] += n;
            }
            HistogramSnapshot h = m.total.takeSnapshot();
            timed[0] += h.count();
            CountAtBucket[] buckets = h.histogramCounts();
            for (int i = 0; i < buckets.length && i < bucketCounts.length; i++) {
                bucketCounts[i] += buckets[i].count();
            }
        })));
        double[] bounds = new double[LATENCY_BUCKETS.length];
        for (int i = 0; i < bounds.length; i++) {
            bounds[i] = LATENCY_BUCKETS[i].toNanos() / 1e9;
        }
        return new Traffic(List.of(STATUS_CLASSES), total, byServer, bounds, bucketCounts, timed[0]);
    }

    /**
     * @param classes      the status class names, in the order of every {@code long[]} here
     * @param responses    all responses by class
     * @param byServer     responses by class, per pool, then server ({@link #NONE} when none was reached)
     * @param bucketBounds the latency buckets' upper bounds in seconds
     * @param bucketCounts requests at or under each bound (cumulative, as Prometheus's {@code le} buckets)
     * @param timed        all requests timed; those above the last bound are this minus the last bucket
     */
    public record Traffic(List<String> classes, long[] responses, Map<String, Map<String, long[]>> byServer,
                          double[] bucketBounds, double[] bucketCounts, long timed) {
    }

    private Timer upstreamTimer(String pool, String server) {
        return upstreamTimers.computeIfAbsent(pool, k -> new ConcurrentHashMap<>())
                .computeIfAbsent(server, k -> Timer.builder("balancer.upstream.duration")
                        .description("Time from sending a request to a server to the end of its response")
                        .tags("pool", pool, "server", server)
                        .serviceLevelObjectives(LATENCY_BUCKETS)
                        .register(registry));
    }

    /**
     * A request is sent again to another server after {@code server} failed it; {@code reason} is the failure's label
     * ({@code connect-refused}, {@code response-timeout}, ...).
     */
    public void retried(String pool, String server, String reason) {
        retryCounter(pool, server, reason).increment();
    }

    private Counter retryCounter(String pool, String server, String reason) {
        return retries.computeIfAbsent(pool, k -> new ConcurrentHashMap<>())
                .computeIfAbsent(server, k -> new ConcurrentHashMap<>())
                .computeIfAbsent(reason, k -> Counter.builder("balancer.retries")
                        .description("Requests retried on another server, by the failure that caused it")
                        .tags("pool", pool, "server", server, "reason", reason)
                        .register(registry));
    }

    /** A request got 503 because no server of the pool was usable. */
    public void noServer(String listener, String pool) {
        noServer.computeIfAbsent(listener, k -> new ConcurrentHashMap<>())
                .computeIfAbsent(pool, k -> Counter.builder("balancer.no.server")
                        .description("Requests answered 503 because no server of the pool was usable")
                        .tags("listener", listener, "pool", pool)
                        .register(registry))
                .increment();
    }

    /** Outlier detection ejected the server. */
    public void ejected(String pool, String server) {
        ejectionCounter(pool, server).increment();
    }

    private Counter ejectionCounter(String pool, String server) {
        return ejections.computeIfAbsent(pool, k -> new ConcurrentHashMap<>())
                .computeIfAbsent(server, k -> Counter.builder("balancer.ejections")
                        .description("Times outlier detection ejected the server")
                        .tags("pool", pool, "server", server)
                        .register(registry));
    }

    /** One active health check finished. */
    public void healthChecked(String pool, String server, boolean passed) {
        healthChecks.computeIfAbsent(pool, k -> new ConcurrentHashMap<>())
                .computeIfAbsent(server, k -> new Counter[] {
                    Counter.builder("balancer.health.checks").description("Active health checks by result")
                            .tags("pool", pool, "server", server, "result", "failed").register(registry),
                    Counter.builder("balancer.health.checks").description("Active health checks by result")
                            .tags("pool", pool, "server", server, "result", "passed").register(registry)})
                [passed ? 1 : 0].increment();
    }

    /** Why a client connection was closed at accept, the {@code reason} label of {@code balancer_connections_refused_total}. */
    public enum RefusalReason {
        ACL("acl"), PER_IP_LIMIT("per-ip-limit");

        private final String label;

        RefusalReason(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** A client connection was closed at accept by the firewall. */
    public void connectionRefused(String listener, RefusalReason reason) {
        Counter[] c = refused.get(listener);
        if (c == null) {
            c = refused.computeIfAbsent(listener, k -> {
                Counter[] made = new Counter[RefusalReason.values().length];
                for (RefusalReason r : RefusalReason.values()) {
                    made[r.ordinal()] = Counter.builder("balancer.connections.refused")
                            .description("Client connections closed at accept by the firewall")
                            .tags("listener", listener, "reason", r.label()).register(registry);
                }
                return made;
            });
        }
        c[reason.ordinal()].increment();
    }

    /** A request was answered 429 by the listener's rate limit. */
    public void rateLimited(String listener) {
        Counter c = rateLimited.get(listener);
        if (c == null) {
            c = rateLimited.computeIfAbsent(listener, k -> Counter.builder("balancer.rate.limited")
                    .description("Requests answered 429 by the rate limit").tags("listener", listener)
                    .register(registry));
        }
        c.increment();
    }

    /** A request was refused by strict parsing or a size limit before reaching any server. */
    public void requestRejected(String listener, int status) {
        ConcurrentMap<Integer, Counter> byStatus = rejected.computeIfAbsent(listener, k -> new ConcurrentHashMap<>());
        Counter c = byStatus.get(status);
        if (c == null) {
            c = byStatus.computeIfAbsent(status, k -> Counter.builder("balancer.requests.rejected")
                    .description("Requests refused before reaching a server (malformed, too large, not allowed)")
                    .tags("listener", listener, "status", Integer.toString(status)).register(registry));
        }
        c.increment();
    }

    /**
     * A client connection was closed by a client timeout: {@code header} (request head too slow; it got 408),
     * {@code idle} (keep-alive with nothing in flight) or {@code send} (took no response bytes for too long).
     */
    public void clientTimedOut(String listener, String phase) {
        ConcurrentMap<String, Counter> byPhase = clientTimeouts.computeIfAbsent(listener, k -> new ConcurrentHashMap<>());
        Counter c = byPhase.get(phase);
        if (c == null) {
            c = byPhase.computeIfAbsent(phase, k -> Counter.builder("balancer.client.timeouts")
                    .description("Client connections closed by a client timeout, by phase (header, idle, send)")
                    .tags("listener", listener, "phase", phase).register(registry));
        }
        c.increment();
    }

    /** An HTTP/2 client opened a stream (a request) on one of its connections. */
    public void http2StreamOpened(String listener) {
        Counter c = http2Streams.get(listener);
        if (c == null) {
            c = http2Streams.computeIfAbsent(listener, k -> Counter.builder("balancer.http2.streams")
                    .description("HTTP/2 streams clients opened").tags("listener", listener).register(registry));
        }
        c.increment();
    }

    public void clientConnectionOpened(String listener) {
        ConnectionMeters m = clientConnections.get(listener);
        if (m == null) {
            m = clientConnections.computeIfAbsent(listener, k -> new ConnectionMeters("balancer.client.connections",
                    "client", Tags.of("listener", listener)));
        }
        m.opened();
    }

    /** An upgraded connection (a WebSocket) became a tunnel: {@code balancer_tunnels{listener}} and its total. */
    public void tunnelOpened(String listener) {
        ConnectionMeters m = tunnels.get(listener);
        if (m == null) {
            m = tunnels.computeIfAbsent(listener, k -> new ConnectionMeters("balancer.tunnels", "tunnel",
                    Tags.of("listener", listener)));
        }
        m.opened();
    }

    public void tunnelClosed(String listener) {
        ConnectionMeters m = tunnels.get(listener);
        if (m != null) {
            m.closed();
        }
    }

    public void clientConnectionClosed(String listener) {
        ConnectionMeters m = clientConnections.get(listener);
        if (m != null) {
            m.closed();
        }
    }

    public void upstreamConnectionOpened(String pool, String server) {
        upstreamConnections(pool, server).opened();
    }

    public void upstreamConnectionClosed(String pool, String server) {
        upstreamConnections(pool, server).closed();
    }

    private ConnectionMeters upstreamConnections(String pool, String server) {
        ConcurrentMap<String, ConnectionMeters> byServer = upstreamConnections.get(pool);
        ConnectionMeters m = byServer == null ? null : byServer.get(server);
        if (m != null) {
            return m;
        }
        return upstreamConnections.computeIfAbsent(pool, k -> new ConcurrentHashMap<>())
                .computeIfAbsent(server, k -> new ConnectionMeters("balancer.upstream.connections", "upstream",
                        Tags.of("pool", pool, "server", server)));
    }

    /**
     * Registers the gauges of one server (in-flight, state, effective weight), and its retry counters at 0 for each of
     * {@code retryReasons}. Closing the handle removes the gauges, as a reload does for a server that left.
     */
    public AutoCloseable registerServer(String pool, String server, ServerGaugeSource source,
            Collection<String> retryReasons) {
        List<Meter> meters = new ArrayList<>();
        Tags tags = Tags.of("pool", pool, "server", server);
        meters.add(Gauge.builder("balancer.requests.in.flight", source, ServerGaugeSource::inFlight)
                .description("Requests sent to the server and not finished").tags(tags).register(registry));
        meters.add(Gauge.builder("balancer.server.up", source, s -> "up".equals(s.stateName()) ? 1 : 0)
                .description("1 when the server takes new requests").tags(tags).register(registry));
        meters.add(Gauge.builder("balancer.server.effective.weight", source, ServerGaugeSource::effectiveWeight)
                .description("Weight the server is balanced with now (below its weight during slow start)")
                .tags(tags).register(registry));
        for (String state : new String[] {"up", "down", "draining", "ejected"}) {
            meters.add(Gauge.builder("balancer.server.state", source, s -> state.equals(s.stateName()) ? 1 : 0)
                    .description("1 for the server's current state").tags(tags).tag("state", state)
                    .register(registry));
        }
        // Series that only count events start at 0, so rate() and alerts see them before the first event.
        upstreamConnections(pool, server);
        ejectionCounter(pool, server);
        retryReasons.forEach(reason -> retryCounter(pool, server, reason));
        return () -> meters.forEach(registry::remove);
    }

    private final class RequestMeters {
        final Counter[] byClass = new Counter[STATUS_CLASSES.length];
        final Timer total;
        final Timer upstream; // null when no server was reached

        RequestMeters(String listener, String pool, String server) {
            for (int i = 0; i < STATUS_CLASSES.length; i++) {
                byClass[i] = Counter.builder("balancer.requests")
                        .description("Requests by listener, pool, server and status class")
                        .tags("listener", listener, "pool", pool, "server", server, "status_class", STATUS_CLASSES[i])
                        .register(registry);
            }
            total = Timer.builder("balancer.request.duration")
                    .description("Time from the request's first byte to the response's last")
                    .tags("listener", listener, "pool", pool, "server", server)
                    .serviceLevelObjectives(LATENCY_BUCKETS)
                    .register(registry);
            upstream = NONE.equals(server) ? null : upstreamTimer(pool, server);
        }
    }

    private final class ConnectionMeters {
        final AtomicLong open = new AtomicLong();
        final Counter opened;

        ConnectionMeters(String name, String side, Tags tags) {
            Gauge.builder(name, open, AtomicLong::get).description("Open " + side + " connections").tags(tags)
                    .register(registry);
            opened = Counter.builder(name + ".opened").description(side + " connections opened").tags(tags)
                    .register(registry);
        }

        void opened() {
            open.incrementAndGet();
            opened.increment();
        }

        void closed() {
            open.decrementAndGet();
        }
    }
}
