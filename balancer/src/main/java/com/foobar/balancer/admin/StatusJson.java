package com.foobar.balancer.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.foobar.balancer.discovery.ResolvedAddress;
import com.foobar.balancer.events.BalancerEvent;
import com.foobar.balancer.events.EventJournal;
import com.foobar.balancer.metrics.BalancerMetrics;
import com.foobar.balancer.upstream.UpstreamPool;
import com.foobar.balancer.upstream.UpstreamServer;
import com.foobar.balancer.upstream.Upstreams;

import java.util.Map;

/** The {@code /api/status} and {@code /api/events} documents. */
final class StatusJson {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private StatusJson() {
    }

    /**
     * The pools and their servers as now, and {@code traffic}: every response by status class and the cumulative
     * latency buckets since start (counters, for a poller to take differences of). Each server carries its own
     * {@code responses} by class.
     */
    static ObjectNode status(Upstreams upstreams, BalancerMetrics metrics) {
        BalancerMetrics.Traffic traffic = metrics.traffic();
        ObjectNode root = MAPPER.createObjectNode();
        ArrayNode pools = root.putArray("pools");
        for (UpstreamPool pool : upstreams.pools()) {
            ObjectNode p = pools.addObject();
            p.put("name", pool.name());
            p.put("algorithm", pool.config().algorithm());
            // The name whose address records are servers of this pool (they are listed with the others), or null.
            p.put("discover", pool.config().discover() == null ? (String) null : pool.config().discover().toString());
            ArrayNode servers = p.putArray("servers");
            Map<String, long[]> responses = traffic.byServer().getOrDefault(pool.name(), Map.of());
            for (UpstreamServer s : pool.servers()) {
                ObjectNode server = server(s);
                byClass(server.putObject("responses"), traffic, responses.get(s.name()));
                servers.add(server);
            }
            p.put("health_check", pool.config().healthCheck() != null);
        }
        ObjectNode t = root.putObject("traffic");
        byClass(t.putObject("responses"), traffic, traffic.responses());
        ObjectNode latency = t.putObject("latency_seconds");
        latency.put("count", traffic.timed());
        ArrayNode buckets = latency.putArray("buckets");
        for (int i = 0; i < traffic.bucketBounds().length; i++) {
            buckets.addArray().add(traffic.bucketBounds()[i]).add((long) traffic.bucketCounts()[i]);
        }
        return root;
    }

    private static void byClass(ObjectNode into, BalancerMetrics.Traffic traffic, long[] counts) {
        for (int i = 0; i < traffic.classes().size(); i++) {
            into.put(traffic.classes().get(i), counts == null ? 0 : counts[i]);
        }
    }

    static ObjectNode server(UpstreamServer s) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("name", s.name());
        o.put("address", s.address().toString());
        // Where the server is now: a host name is re-resolved and may move; null while it never resolved.
        ResolvedAddress r = s.resolved();
        o.put("resolved_address", r.address() == null ? null : r.addressText());
        o.put("resolution", r.status().json());
        o.put("resolution_error", r.problem());
        o.put("state", s.state().json());
        o.put("backup", s.backup());
        o.put("weight", s.weight());
        double ew = s.effectiveWeight();
        if (ew == Math.rint(ew)) {
            o.put("effective_weight", (long) ew);
        } else {
            o.put("effective_weight", Math.round(ew * 100) / 100.0);
        }
        o.put("in_flight", s.inFlight());
        o.put("requests", s.requests());
        o.put("failures", s.failures());
        o.put("ejections", s.ejections());
        o.put("latency_ewma_ms", Math.round(s.latencyEwmaNanos() / 10_000.0) / 100.0);
        return o;
    }

    /**
     * {@code {"started": "...", "latest": 42, "events": [{"seq": 41, "at": "...", "kind": "server", "subject":
     * "web/web-1", "message": "is DOWN: connection refused"}, ...]}}: the kept events after {@code after}, oldest
     * first. A new {@code started} means the balancer restarted and numbers from 1 again.
     */
    static ObjectNode events(EventJournal journal, long after) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("started", journal.started().toString());
        // Never above the last listed event's number (read first); a reader goes on from the last seq it got.
        root.put("latest", journal.latest());
        ArrayNode events = root.putArray("events");
        for (BalancerEvent e : journal.after(after)) {
            ObjectNode o = events.addObject();
            o.put("seq", e.seq());
            o.put("at", e.at().toString());
            o.put("kind", e.kind());
            o.put("subject", e.subject());
            o.put("message", e.message());
        }
        return root;
    }
}
