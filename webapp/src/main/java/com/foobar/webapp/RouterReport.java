package com.foobar.webapp;

import com.foobar.dbrouter.RouterConfig;
import com.foobar.dbrouter.RouterHealth;
import com.foobar.webapp.web.DatabaseReport;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.net.URI;
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
    private final Map<String, String> addresses = new LinkedHashMap<>();

    /** @param nodes the router's configured nodes, for each one's {@code host:port} */
    RouterReport(Supplier<RouterHealth> health, List<RouterConfig.Node> nodes, MeterRegistry registry) {
        this.health = health;
        this.registry = registry;
        nodes.forEach(n -> addresses.put(n.name(), address(n.url())));
    }

    /**
     * {@code host:port} of a {@code jdbc:mysql://host:port/db} URL (3306 when it names none): how a reader with
     * other names for the nodes (db-failover's) tells which node this is.
     */
    static String address(String jdbcUrl) {
        URI uri = URI.create(jdbcUrl.startsWith("jdbc:") ? jdbcUrl.substring(5) : jdbcUrl);
        if (uri.getHost() == null) {
            return null;
        }
        return uri.getHost() + ":" + (uri.getPort() < 0 ? 3306 : uri.getPort());
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
            node.put("address", addresses.get(n.name()));
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
