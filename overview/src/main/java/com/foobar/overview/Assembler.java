package com.foobar.overview;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Turns each {@link Reading} into the document the page draws ({@code /api/overview}): every component with its state
 * and the reason for it, rates from the difference with the reading before, the time series, and the events. One
 * thread calls {@link #next}; the documents it returns are not changed afterwards.
 *
 * <p>Where two sources say something about the same component, the more direct one wins: a supervisor that saw the
 * process exit, then the component's own answer, then what its clients see (the balancer's health checks for a web
 * server; db-failover's probes, then the web servers' routers, for a database node).
 */
final class Assembler {
    static final ObjectMapper JSON = new ObjectMapper();
    /** The window of the p99 series: long enough to hold a few hundred requests at demo load. */
    private static final long P99_WINDOW_NANOS = 5_000_000_000L;
    private static final int EVENTS_SHOWN = 50;

    private final OverviewConfig config;
    private final Series series;
    private final Events events = new Events(200);
    private Reading previous;
    private final Deque<Latency> latency = new ArrayDeque<>();
    private final Map<String, String> shownStates = new HashMap<>();
    /** Each router node name's {@code host:port}, as the web servers report them. */
    private final Map<String, String> addresses = new HashMap<>();

    /** All balancers' latency buckets at one reading, summed. */
    private record Latency(long nanos, double[] bounds, long[] counts, long total) {
    }

    Assembler(OverviewConfig config) {
        this.config = config;
        this.series = new Series(config.samples());
    }

    /** What one poll adds up as its parts are read: rates per web server and per database node, each router's view. */
    private static final class Tick {
        final Reading now;
        final Reading before;
        final double seconds;
        final Map<String, String> processes;
        double reqS;
        double errS;
        final Map<String, double[]> perWeb = new LinkedHashMap<>(); // web -> {req/s, 5xx/s} through the balancers
        final Map<String, double[]> perNode = new LinkedHashMap<>(); // db node -> {reads/s, writes/s}
        final Map<String, JsonNode> routerView = new LinkedHashMap<>(); // db node -> a router's entry for it

        Tick(Reading now, Reading before) {
            this.now = now;
            this.before = before;
            this.seconds = before == null ? 0 : (now.nanos() - before.nanos()) / 1e9;
            this.processes = processStates(now.components());
        }
    }

    ObjectNode next(Reading now) {
        Tick tick = new Tick(now, previous);
        ObjectNode doc = JSON.createObjectNode();
        doc.put("at", Instant.ofEpochMilli(now.epochMillis()).toString());
        doc.put("interval_ms", config.interval().toMillis());
        balancers(tick, doc.putArray("balancers"));
        webs(tick, doc.putArray("webs"));
        double maxLag = databases(doc, now, tick.processes, tick.routerView, tick.perNode);
        doc.set("failover", failover(now.failover()));

        double p99 = p99(now);
        series.add(now.epochMillis() / 1000.0, tick.reqS, tick.errS, p99 * 1000, maxLag);
        doc.put("req_s", round(tick.reqS));
        doc.put("errors_s", round(tick.errS));
        if (Double.isNaN(p99)) {
            doc.putNull("p99_ms");
        } else {
            doc.put("p99_ms", round(p99 * 1000));
        }
        doc.set("series", series.json());
        doc.set("events", events.json(EVENTS_SHOWN));
        previous = now;
        return doc;
    }

    private void balancers(Tick tick, ArrayNode out) {
        for (OverviewConfig.Source b : config.balancers()) {
            Reading.Fetched status = tick.now.balancers().get(b.name());
            Reading.Fetched before = tick.before == null ? null : tick.before.balancers().get(b.name());
            ObjectNode node = out.addObject();
            node.put("name", b.name());
            node.put("url", b.base().toString());
            double[] rates = status.ok() ? balancerRates(status.body(), before, tick.seconds, tick.perWeb)
                    : new double[2];
            tick.reqS += rates[0];
            tick.errS += rates[1];
            node.put("req_s", round(rates[0]));
            node.put("errors_s", round(rates[1]));
            state(node, b.name(), process(tick.processes, b.name()), status.ok() ? "up" : "down",
                    status.ok() ? "" : "admin API: " + status.error());
            Reading.Fetched ev = tick.now.balancerEvents().get(b.name());
            if (ev != null && ev.ok()) {
                for (JsonNode e : ev.body().path("events")) {
                    events.add(Instant.parse(e.path("at").asText()).toEpochMilli(), b.name(),
                            e.path("subject").asText(), e.path("message").asText());
                }
            }
        }
    }

    private void webs(Tick tick, ArrayNode out) {
        for (OverviewConfig.Source w : config.webs()) {
            Reading.Fetched status = tick.now.webs().get(w.name());
            Reading.Fetched before = tick.before == null ? null : tick.before.webs().get(w.name());
            ObjectNode node = out.addObject();
            node.put("name", w.name());
            node.put("url", w.base().toString());
            double[] rates = tick.perWeb.get(w.name());
            if (rates == null && status.ok()) {
                // Not behind a watched balancer: its own counters.
                rates = new double[] {rate(before, status, tick.seconds, "requests"),
                    rate(before, status, tick.seconds, "server_errors")};
            }
            rates = rates == null ? new double[2] : rates;
            node.put("req_s", round(rates[0]));
            node.put("errors_s", round(rates[1]));
            node.put("share", tick.reqS > 0 && tick.perWeb.containsKey(w.name()) ? round(rates[0] / tick.reqS) : 0);
            String[] shown = webState(status, balancerState(tick.now, w.name()));
            state(node, w.name(), process(tick.processes, w.name()), shown[0], shown[1]);
            if (status.ok()) {
                JsonNode database = status.body().path("database");
                node.put("writer", database.path("writer").asText(""));
                routerView(tick, database, before);
            }
        }
    }

    /** {state, reason} of a web server: its own status first, then the balancer's word, then its readiness. */
    private static String[] webState(Reading.Fetched status, String fromBalancer) {
        if (!status.ok()) {
            return new String[] {"down", "status: " + status.error()};
        }
        if (fromBalancer != null && !fromBalancer.equals("up")) {
            return new String[] {fromBalancer, "the balancer has it " + fromBalancer};
        }
        if (!status.body().path("ready").asBoolean()) {
            return new String[] {"not-ready", status.body().path("reason").asText()};
        }
        return new String[] {"up", ""};
    }

    /** Adds one web server's router view: each node's entry (a router that cannot reach it wins), reads and writes. */
    private void routerView(Tick tick, JsonNode database, Reading.Fetched before) {
        for (JsonNode n : database.path("nodes")) {
            String name = n.path("name").asText();
            if (n.hasNonNull("address")) {
                addresses.put(name, n.path("address").asText().toLowerCase(Locale.ROOT));
            }
            JsonNode known = tick.routerView.putIfAbsent(name, n);
            if (known != null && known.path("up").asBoolean(false) && !n.path("up").asBoolean(false)) {
                tick.routerView.put(name, n); // one router that cannot reach a node is worth showing
            }
            JsonNode was = before != null && before.ok() ? nodeOf(before.body(), name) : null;
            double[] r = tick.perNode.computeIfAbsent(name, k -> new double[2]);
            if (was != null) {
                r[0] += Rates.perSecond(was.path("reads").asLong(), n.path("reads").asLong(), tick.seconds);
                r[1] += Rates.perSecond(was.path("writes").asLong(), n.path("writes").asLong(), tick.seconds);
            }
        }
    }

    private double databases(ObjectNode doc, Reading now, Map<String, String> processes,
                             Map<String, JsonNode> routerView, Map<String, double[]> dbRates) {
        Map<String, JsonNode> failoverView = new LinkedHashMap<>();
        Reading.Fetched failover = now.failover();
        if (failover != null && failover.ok()) {
            for (JsonNode n : failover.body().path("nodes")) {
                failoverView.put(n.path("name").asText(), n);
            }
            for (JsonNode e : failover.body().path("events")) {
                events.add(Instant.parse(e.path("at").asText()).toEpochMilli(), "db-failover",
                        e.path("node").asText(), e.path("message").asText());
            }
        }
        // The routers name nodes by configuration order (primary, replica-1); db-failover by its own configuration
        // (mysql-primary in compose). The same host:port is the same node: db-failover's name is kept.
        Map<String, String> byAddress = new HashMap<>();
        failoverView.values().forEach(f -> byAddress.put(f.path("address").asText("").toLowerCase(Locale.ROOT),
                f.path("name").asText()));
        routerView = renamed(routerView, byAddress, (a, b) -> a.path("up").asBoolean(false) ? b : a);
        dbRates = renamed(dbRates, byAddress, (a, b) -> new double[] {a[0] + b[0], a[1] + b[1]});
        Map<String, Boolean> names = new LinkedHashMap<>();
        failoverView.keySet().forEach(n -> names.put(n, true));
        routerView.keySet().forEach(n -> names.put(n, true));
        ArrayNode databases = doc.putArray("databases");
        double maxLag = Double.NaN;
        for (String name : names.keySet()) {
            ObjectNode node = databases.addObject();
            node.put("name", name);
            JsonNode f = failoverView.get(name);
            JsonNode r = routerView.get(name);
            String state;
            String reason;
            Double lag = null;
            Boolean replicating = null;
            String source = null;
            if (f != null) {
                boolean up = f.path("up").asBoolean();
                state = up ? f.path("role").asText("unknown") : "down";
                reason = up ? "" : f.path("error").asText("no answer");
                JsonNode repl = f.path("replication");
                if (up && repl.isObject()) {
                    replicating = "Yes".equalsIgnoreCase(repl.path("io_thread").asText())
                            && repl.path("sql_thread_running").asBoolean();
                    source = repl.path("source_node").asText(null);
                    if (repl.path("seconds_behind").isNumber()) {
                        lag = repl.path("seconds_behind").asDouble();
                    }
                    if (!replicating && !repl.path("error").asText("").isEmpty()) {
                        reason = repl.path("error").asText();
                    }
                }
            } else {
                boolean up = r.path("up").asBoolean();
                String role = r.path("role").asText();
                state = !up ? "down" : switch (role) {
                    case "writer" -> "primary";
                    case "read_only" -> "fenced";
                    default -> role;
                };
                reason = r.path("reason").asText("");
                replicating = up && role.equals("replica");
            }
            if (lag == null && r != null && r.path("lag_seconds").isNumber()) {
                lag = r.path("lag_seconds").asDouble();
            }
            String[] process = process(processes, "db-" + name);
            if (process != null && process[0].equals("down")) {
                // What the probes last saw of a process that is gone is no longer true.
                lag = null;
                replicating = null;
                state = "down";
            }
            if (lag != null && !state.equals("down")) {
                maxLag = Double.isNaN(maxLag) ? lag : Math.max(maxLag, lag);
            }
            state(node, name, process, state, reason);
            if (replicating == null) {
                node.putNull("replicating");
            } else {
                node.put("replicating", replicating);
            }
            node.put("source_node", source);
            if (lag == null) {
                node.putNull("lag_seconds");
            } else {
                node.put("lag_seconds", lag);
            }
            double[] rates = dbRates.getOrDefault(name, new double[2]);
            node.put("reads_s", round(rates[0]));
            node.put("writes_s", round(rates[1]));
        }
        return maxLag;
    }

    /**
     * The map with each router name replaced by db-failover's name for the node at the same address (the router's
     * {@code address} is in {@link #addresses}); entries that meet under one name are merged.
     */
    private <V> Map<String, V> renamed(Map<String, V> byRouterName, Map<String, String> byAddress,
                                       java.util.function.BinaryOperator<V> merge) {
        Map<String, V> out = new LinkedHashMap<>();
        byRouterName.forEach((name, v) -> {
            String address = addresses.get(name);
            String shown = address == null ? name : byAddress.getOrDefault(address, name);
            out.merge(shown, v, merge);
        });
        return out;
    }

    private static ObjectNode failover(Reading.Fetched f) {
        if (f == null) {
            return null;
        }
        ObjectNode node = JSON.createObjectNode();
        node.put("name", "db-failover");
        if (f.ok()) {
            node.put("state", f.body().path("state").asText());
            node.put("detail", f.body().path("detail").asText(""));
            node.put("primary", f.body().path("primary").asText(null));
        } else {
            node.put("state", "down");
            node.put("detail", "status: " + f.error());
        }
        return node;
    }

    /**
     * Sets {@code state} and {@code reason}, the supervisor's word first, and records a change of what is shown as
     * an event of the overview's own.
     */
    private void state(ObjectNode node, String name, String[] process, String state, String reason) {
        if (process != null) {
            state = process[0];
            reason = process[1];
        }
        node.put("state", state);
        node.put("reason", reason);
        String before = shownStates.put(name, state);
        if (before != null && !before.equals(state)) {
            events.add(System.currentTimeMillis(), "overview", name,
                    before + " -> " + state + (reason.isEmpty() ? "" : ": " + reason));
        }
    }

    /** The supervisor's view of a process that is not running, as {state, reason}; null when running or unknown. */
    private static String[] process(Map<String, String> processes, String component) {
        String s = processes.get(component);
        if (s == null || s.equals("running")) {
            return null;
        }
        return switch (s) {
            case "exited" -> new String[] {"down", "the process exited"};
            case "stopped" -> new String[] {"down", "stopped on purpose"};
            case "starting" -> new String[] {"starting", "the process is starting"};
            default -> new String[] {"down", "the process is " + s};
        };
    }

    private static Map<String, String> processStates(Reading.Fetched components) {
        Map<String, String> out = new HashMap<>();
        if (components != null && components.ok()) {
            for (JsonNode c : components.body().path("components")) {
                out.put(c.path("name").asText(), c.path("state").asText());
            }
        }
        return out;
    }

    /** This balancer's {total req/s, 5xx/s}; adds each server's rates to {@code perWeb}. */
    private static double[] balancerRates(JsonNode status, Reading.Fetched before, double seconds,
                                          Map<String, double[]> perWeb) {
        double[] total = new double[2];
        JsonNode was = before != null && before.ok() ? before.body() : null;
        if (was == null) {
            return total;
        }
        total[0] = Rates.perSecond(sum(was.path("traffic").path("responses")),
                sum(status.path("traffic").path("responses")), seconds);
        total[1] = Rates.perSecond(was.path("traffic").path("responses").path("5xx").asLong(),
                status.path("traffic").path("responses").path("5xx").asLong(), seconds);
        for (JsonNode pool : status.path("pools")) {
            for (JsonNode server : pool.path("servers")) {
                JsonNode old = serverOf(was, pool.path("name").asText(), server.path("name").asText());
                if (old == null) {
                    continue;
                }
                double[] r = perWeb.computeIfAbsent(server.path("name").asText(), k -> new double[2]);
                r[0] += Rates.perSecond(sum(old.path("responses")), sum(server.path("responses")), seconds);
                r[1] += Rates.perSecond(old.path("responses").path("5xx").asLong(),
                        server.path("responses").path("5xx").asLong(), seconds);
            }
        }
        return total;
    }

    /** What the first balancer that has this server says of it ({@code up}, {@code down}, ...); null when none has. */
    private static String balancerState(Reading now, String web) {
        for (Reading.Fetched b : now.balancers().values()) {
            if (b.ok()) {
                for (JsonNode pool : b.body().path("pools")) {
                    for (JsonNode server : pool.path("servers")) {
                        if (server.path("name").asText().equals(web)) {
                            return server.path("state").asText();
                        }
                    }
                }
            }
        }
        return null;
    }

    /** p99 of all requests through every balancer in the last few seconds, in seconds; NaN when there were none. */
    private double p99(Reading now) {
        double[] bounds = null;
        long[] counts = null;
        long total = 0;
        for (Reading.Fetched b : now.balancers().values()) {
            if (!b.ok()) {
                continue;
            }
            JsonNode l = b.body().path("traffic").path("latency_seconds");
            JsonNode buckets = l.path("buckets");
            if (bounds == null) {
                bounds = new double[buckets.size()];
                counts = new long[buckets.size()];
                for (int i = 0; i < bounds.length; i++) {
                    bounds[i] = buckets.get(i).get(0).asDouble();
                }
            }
            for (int i = 0; i < Math.min(counts.length, buckets.size()); i++) {
                counts[i] += buckets.get(i).get(1).asLong();
            }
            total += l.path("count").asLong();
        }
        if (bounds == null || bounds.length == 0) {
            return Double.NaN;
        }
        latency.addLast(new Latency(now.nanos(), bounds, counts, total));
        while (latency.size() > 2 && now.nanos() - latency.peekFirst().nanos() > P99_WINDOW_NANOS) {
            latency.removeFirst();
        }
        Latency first = latency.peekFirst();
        if (first.counts().length != counts.length) {
            latency.clear();
            latency.addLast(new Latency(now.nanos(), bounds, counts, total));
            return Double.NaN;
        }
        return Rates.quantile(0.99, bounds, first.counts(), counts, first.total(), total);
    }

    private static JsonNode nodeOf(JsonNode webStatus, String node) {
        for (JsonNode n : webStatus.path("database").path("nodes")) {
            if (n.path("name").asText().equals(node)) {
                return n;
            }
        }
        return null;
    }

    private static JsonNode serverOf(JsonNode balancerStatus, String pool, String server) {
        for (JsonNode p : balancerStatus.path("pools")) {
            if (p.path("name").asText().equals(pool)) {
                for (JsonNode s : p.path("servers")) {
                    if (s.path("name").asText().equals(server)) {
                        return s;
                    }
                }
            }
        }
        return null;
    }

    private static double rate(Reading.Fetched before, Reading.Fetched now, double seconds, String field) {
        if (before == null || !before.ok()) {
            return 0;
        }
        return Rates.perSecond(before.body().path(field).asLong(), now.body().path(field).asLong(), seconds);
    }

    private static long sum(JsonNode byClass) {
        long n = 0;
        for (JsonNode v : byClass) {
            n += v.asLong();
        }
        return n;
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
