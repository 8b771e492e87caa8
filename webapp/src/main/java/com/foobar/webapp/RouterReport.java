package com.foobar.webapp;

import com.foobar.dbrouter.RouterHealth;
import com.foobar.webapp.web.DatabaseReport;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The database tier as this web server's router sees it, for {@code /api/status}: the writer (or why writes are
 * refused), and per node its role, whether it answers and takes reads, its replication lag, and the statements the
 * router sent it (read and write, counted since start, from the router's {@code db.router.statements} meters).
 */
final class RouterReport implements DatabaseReport {
    private static final String STATEMENTS = "db.router.statements";

    private final Supplier<RouterHealth> health;
    private final MeterRegistry registry;

    RouterReport(Supplier<RouterHealth> health, MeterRegistry registry) {
        this.health = health;
        this.registry = registry;
    }

    @Override
    public Map<String, Object> describe() {
        RouterHealth h = health.get();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("writer", h.writer().orElse(null));
        out.put("writer_state", h.writerState().name().toLowerCase(java.util.Locale.ROOT));
        out.put("write_problem", h.writeProblem());
        List<Map<String, Object>> nodes = new ArrayList<>();
        for (RouterHealth.NodeHealth n : h.nodes()) {
            Map<String, Object> node = new LinkedHashMap<>();
            node.put("name", n.name());
            node.put("role", n.role().tag());
            node.put("up", n.up());
            node.put("usable", n.usable());
            node.put("lag_seconds", n.lag().map(l -> l.toMillis() / 1000.0).orElse(null));
            node.put("reason", n.reason());
            node.put("reads", statements(n.name(), "read"));
            node.put("writes", statements(n.name(), "write"));
            nodes.add(node);
        }
        out.put("nodes", nodes);
        return out;
    }

    private long statements(String node, String kind) {
        return (long) registry.find(STATEMENTS).tag("node", node).tag("kind", kind).counters().stream()
                .mapToDouble(Counter::count).sum();
    }
}
