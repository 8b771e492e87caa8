package com.foobar.chaos.stacks;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The compose project's database, which the host cannot reach (the db network is internal): queried with the
 * {@code mysql} client inside each database container, as root ({@code docker exec -e MYSQL_PWD ...}).
 */
final class ComposeDatabase implements Database {

    private static final Duration QUERY = Duration.ofSeconds(20);

    private final ComposeTarget compose;
    private final Map<String, String> services;
    private final String rootPassword;
    private final boolean mariadb;

    ComposeDatabase(ComposeTarget compose, Map<String, String> services, String rootPassword, boolean mariadb) {
        this.compose = compose;
        this.services = new LinkedHashMap<>(services);
        this.rootPassword = rootPassword;
        this.mariadb = mariadb;
    }

    private Cli.Result sql(String service, boolean vertical, String query) throws IOException {
        String container = compose.container(service);
        List<String> cmd = new ArrayList<>(List.of("docker", "exec", "-e", "MYSQL_PWD=" + rootPassword, container,
                "mysql", "-uroot", "--connect-timeout=3", vertical ? "-E" : "-N", "-B", "-e", query));
        return compose.cli().run(QUERY, cmd, null);
    }

    @Override
    public List<NodeState> nodes() {
        List<NodeState> nodes = new ArrayList<>();
        for (Map.Entry<String, String> e : services.entrySet()) {
            nodes.add(probe(e.getKey(), e.getValue()));
        }
        return nodes;
    }

    private NodeState probe(String name, String service) {
        try {
            Cli.Result vars = sql(service, false, "SELECT @@global.read_only, "
                    + (mariadb ? "@@global.gtid_binlog_state" : "REPLACE(@@global.gtid_executed, '\\n', '')"));
            if (!vars.ok()) {
                return new NodeState(name, false, false, false, "", "", vars.output().strip());
            }
            String[] cells = vars.output().strip().split("\t", -1);
            boolean readOnly = cells[0].trim().equals("1");
            String gtids = cells.length > 1 ? cells[1].trim() : "";
            Cli.Result status = sql(service, true, "SHOW REPLICA STATUS");
            Map<String, String> fields = new LinkedHashMap<>();
            for (String line : status.output().split("\n")) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    fields.put(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
                }
            }
            String io = fields.getOrDefault("Slave_IO_Running", fields.getOrDefault("Replica_IO_Running", ""));
            String sqlThread = fields.getOrDefault("Slave_SQL_Running", fields.getOrDefault("Replica_SQL_Running", ""));
            String host = fields.getOrDefault("Master_Host", fields.getOrDefault("Source_Host", ""));
            String port = fields.getOrDefault("Master_Port", fields.getOrDefault("Source_Port", ""));
            return new NodeState(name, true, readOnly, io.equals("Yes") && sqlThread.equals("Yes"),
                    host.isEmpty() ? "" : host + ":" + port, gtids, "");
        } catch (IOException e) {
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
        String out = sql(services.get(writers.get(0).name()), false,
                "SELECT id FROM foobar.orders WHERE product_id IN (" + productIds.stream().map(String::valueOf)
                        .collect(java.util.stream.Collectors.joining(",")) + ")").orFail();
        Set<Long> ids = new LinkedHashSet<>();
        for (String line : out.split("\n")) {
            if (!line.isBlank()) {
                ids.add(Long.parseLong(line.trim()));
            }
        }
        return ids;
    }
}
