package com.foobar.chaos.stacks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The no-Docker stack's database over JDBC, with the endpoints and credentials the stack writes to
 * {@code DATA_DIR/db/endpoints.json} (the monitoring privileges its application user has are enough).
 */
final class JdbcDatabase implements Database {

    private final Map<String, String> urls;
    private final String user;
    private final String password;

    private JdbcDatabase(Map<String, String> urls, String user, String password) {
        this.urls = urls;
        this.user = user;
        this.password = password;
    }

    static JdbcDatabase fromEndpoints(Path endpointsJson) throws IOException {
        JsonNode e = new ObjectMapper().readTree(endpointsJson.toFile());
        Map<String, String> urls = new LinkedHashMap<>();
        urls.put("db-primary", e.path("primary").path("jdbc_url").asText());
        for (JsonNode r : e.path("replicas")) {
            urls.put("db-" + r.path("name").asText(), r.path("jdbc_url").asText());
        }
        return new JdbcDatabase(urls, e.path("user").asText(), e.path("password").asText());
    }

    private Connection connect(String url) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        p.setProperty("connectTimeout", "2000");
        p.setProperty("socketTimeout", "5000");
        return DriverManager.getConnection(url, p);
    }

    @Override
    public List<NodeState> nodes() {
        List<NodeState> nodes = new ArrayList<>();
        for (Map.Entry<String, String> node : urls.entrySet()) {
            nodes.add(probe(node.getKey(), node.getValue()));
        }
        return nodes;
    }

    private NodeState probe(String name, String url) {
        try (Connection c = connect(url); Statement s = c.createStatement()) {
            boolean readOnly;
            String gtids;
            try (ResultSet rs = s.executeQuery("SELECT @@global.read_only, @@global.gtid_binlog_state")) {
                rs.next();
                readOnly = rs.getBoolean(1);
                gtids = rs.getString(2);
            }
            boolean replicating = false;
            String source = "";
            try (ResultSet rs = s.executeQuery("SHOW SLAVE STATUS")) {
                if (rs.next()) {
                    replicating = "Yes".equalsIgnoreCase(rs.getString("Slave_IO_Running"))
                            && "Yes".equalsIgnoreCase(rs.getString("Slave_SQL_Running"));
                    source = rs.getString("Master_Host") + ":" + rs.getInt("Master_Port");
                }
            }
            return new NodeState(name, true, readOnly, replicating, source, gtids == null ? "" : gtids, "");
        } catch (SQLException e) {
            return new NodeState(name, false, false, false, "", "", String.valueOf(e.getMessage()));
        }
    }

    @Override
    public Set<Long> orderIds(java.util.Collection<Long> productIds) throws IOException {
        List<NodeState> writers = nodes().stream().filter(NodeState::writer).toList();
        if (writers.size() != 1) {
            throw new IOException(writers.isEmpty() ? "no node takes writes now"
                    : "several nodes take writes: " + writers.stream().map(NodeState::name).toList());
        }
        String url = urls.get(writers.get(0).name());
        try (Connection c = connect(url);
             PreparedStatement ps = c.prepareStatement("SELECT id FROM orders WHERE product_id IN ("
                     + String.join(",", java.util.Collections.nCopies(productIds.size(), "?")) + ")")) {
            int i = 1;
            for (long id : productIds) {
                ps.setLong(i++, id);
            }
            Set<Long> ids = new LinkedHashSet<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
            return ids;
        } catch (SQLException e) {
            throw new IOException("cannot read the orders on " + writers.get(0).name() + ": " + e.getMessage(), e);
        }
    }
}
