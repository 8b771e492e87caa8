package com.foobar.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.foobar.balancer.config.BalancerConfig;
import com.foobar.balancer.config.ConfigLoader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Prometheus scrapes what the balancer and the web servers really serve, Grafana's data source is that Prometheus,
 * and every series and label the dashboard queries is one the code registers.
 */
class MonitoringContractTest {
    private static final ComposeFile COMPOSE = ComposeFile.load(StackFiles.COMPOSE);
    private static final Pattern SERIES = Pattern.compile("\\b((?:balancer|webapp|dbrouter|db_router|db_failover|hikaricp)_[a-z0-9_]+)\\b");
    private static final Pattern BY = Pattern.compile("\\bby\\s*\\(([^)]*)\\)");
    private static final Pattern MATCHER = Pattern.compile("([a-z_][a-z0-9_]*)\\s*(?:=~|!~|!=|=)\\s*\"");
    /**
     * HikariCP's own meters, which the db-router binds (MicrometerMetricsTrackerFactory) rather than declares: their
     * names are in HikariCP's jar, not in our sources. WebAppLiveTest sees them in a real scrape.
     */
    static final Set<String> HIKARI_SERIES = Set.of("hikaricp_connections_active", "hikaricp_connections_idle",
            "hikaricp_connections_pending", "hikaricp_connections", "hikaricp_connections_max",
            "hikaricp_connections_min", "hikaricp_connections_timeout_total");
    /** Labels Prometheus adds (job, instance, our tier) or that come with every histogram (le). */
    private static final Set<String> PROMETHEUS_LABELS = Set.of("le", "instance", "job", "tier", "__name__");

    private static JsonNode prometheus;
    private static JsonNode dashboard;
    private static JsonNode datasources;
    private static BalancerConfig balancer;

    @BeforeAll
    static void load() throws Exception {
        YAMLMapper yaml = new YAMLMapper();
        prometheus = yaml.readTree(StackFiles.PROMETHEUS_YML.toFile());
        datasources = yaml.readTree(StackFiles.GRAFANA_PROVISIONING.resolve("datasources/prometheus.yml").toFile());
        dashboard = new ObjectMapper().readTree(StackFiles.GRAFANA_DASHBOARDS.resolve("foobar.json").toFile());
        balancer = ConfigLoader.load(StackFiles.BALANCER_YML);
    }

    /** The agent next to each tier and the jobs it scrapes (besides itself). */
    private static final Map<String, List<String>> AGENTS = Map.of("agent-lb", List.of("balancer"),
            "agent-web", List.of("webapp"), "agent-db", List.of("mysql", "db-failover"));

    @Test
    void eachTiersAgentScrapesItsTierOnMetricsAndPushesToTheCollector() throws Exception {
        Map<String, List<String>> targets = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> a : AGENTS.entrySet()) {
            JsonNode config = agentConfig(a.getKey());
            assertThat(config.path("remote_write").size()).as(a.getKey()).isEqualTo(1);
            assertThat(config.path("remote_write").get(0).path("url").asText()).as(a.getKey())
                    .isEqualTo("http://prometheus:9090/api/v1/write");
            assertThat(config.path("global").path("external_labels").path("agent").asText()).isEqualTo(a.getKey());
            List<String> jobs = new ArrayList<>();
            for (JsonNode job : config.path("scrape_configs")) {
                assertThat(job.path("metrics_path").asText("/metrics")).isEqualTo(WebAppContract.METRICS);
                List<String> list = new ArrayList<>();
                for (JsonNode sc : job.path("static_configs")) {
                    sc.path("targets").forEach(t -> list.add(t.asText()));
                }
                jobs.add(job.path("job_name").asText());
                if (!job.path("job_name").asText().equals("agent")) {
                    targets.put(job.path("job_name").asText(), list);
                }
            }
            List<String> expected = new ArrayList<>(List.of("agent"));
            expected.addAll(a.getValue());
            assertThat(jobs).as("jobs of %s", a.getKey()).containsExactlyInAnyOrderElementsOf(expected);
        }
        // Both balancers: the one holding the VIP and the one standing by (each is reached by its name on app, an
        // alias of its namespace holder).
        int admin = balancer.admin().bind().port();
        assertThat(targets.get("balancer")).containsExactly("lb-1:" + admin, "lb-2:" + admin);
        for (int n = 1; n <= 2; n++) {
            assertThat(COMPOSE.service("lb-" + n + "-netns").path("networks").path("app").path("aliases").toString())
                    .as("lb-%d resolves on app", n).contains("\"lb-" + n + "\"");
        }
        List<String> web = new ArrayList<>();
        for (String service : List.of("web-1", "web-2")) {
            web.add(service + ":" + COMPOSE.environment(service).get("FOOBAR_PORT"));
        }
        assertThat(targets.get("webapp")).containsExactlyElementsOf(web);
        assertThat(targets.get("mysql")).containsExactly("mysql-primary-exporter:9104", "mysql-replica-exporter:9104");
        // The failover decider, on its status address's port.
        String bind = COMPOSE.environment("db-failover").get("FOOBAR_FAILOVER_STATUS_BIND");
        assertThat(targets.get("db-failover")).containsExactly("db-failover:" + bind.substring(bind.lastIndexOf(':') + 1));
        // Each agent reaches its targets and the collector.
        Map<String, List<String>> reaches = Map.of("agent-lb", List.of("lb-1", "lb-2"),
                "agent-web", List.of("web-1", "web-2"),
                "agent-db", List.of("mysql-primary-exporter", "mysql-replica-exporter", "db-failover"));
        for (Map.Entry<String, List<String>> r : reaches.entrySet()) {
            for (String target : r.getValue()) {
                assertThat(COMPOSE.networks(r.getKey())).as("%s reaches %s", r.getKey(), target)
                        .containsAnyElementsOf(COMPOSE.networks(target));
            }
            assertThat(COMPOSE.networks(r.getKey())).as("%s reaches the collector", r.getKey()).contains("monitoring");
            assertThat(COMPOSE.service(r.getKey()).path("command").toString()).as(r.getKey())
                    .contains("--enable-feature=agent", "--config.file=/etc/prometheus/agent.yml");
            assertThat(COMPOSE.bindSourceOf(r.getKey(), "/etc/prometheus/agent.yml"))
                    .isEqualTo("./prometheus/" + r.getKey() + ".yml");
        }
    }

    @Test
    void theCollectorReceivesPushesScrapesOnlyItselfAndMountsThisConfiguration() {
        List<String> jobs = new ArrayList<>();
        prometheus.path("scrape_configs").forEach(j -> jobs.add(j.path("job_name").asText()));
        assertThat(jobs).containsExactly("prometheus");
        assertThat(COMPOSE.bindSourceOf("prometheus", "/etc/prometheus/prometheus.yml"))
                .isEqualTo("./prometheus/prometheus.yml");
        assertThat(COMPOSE.service("prometheus").path("command").toString())
                .contains("--config.file=/etc/prometheus/prometheus.yml", "--web.enable-remote-write-receiver");
    }

    @Test
    void eachDatabaseNodeHasAnExporterWithItsOwnAccountAtItsAddress() {
        Map<String, String> accounts = COMPOSE.environment("mysql-primary");
        for (String node : List.of("mysql-primary", "mysql-replica")) {
            String exporter = node + "-exporter";
            Map<String, String> env = COMPOSE.environment(exporter);
            assertThat(env.get("MYSQL_EXPORTER_HOST")).isEqualTo(node);
            assertThat(env.get("MYSQL_EXPORTER_USER")).isEqualTo(accounts.get("MYSQL_EXPORTER_USER"));
            assertThat(env.get("MYSQL_EXPORTER_PASSWORD")).isEqualTo(accounts.get("MYSQL_EXPORTER_PASSWORD"));
            String address = COMPOSE.service(exporter).path("networks").path("db").path("ipv4_address").asText();
            assertThat(List.of(accounts.get("FOOBAR_EXPORTER_HOSTS").split(" "))).as(exporter).contains(address);
            // The password is written to an option file at start, never on the command line.
            assertThat(COMPOSE.service(exporter).path("entrypoint").toString())
                    .contains("--config.my-cnf=/tmp/my.cnf").doesNotContain("secret");
        }
    }

    private static JsonNode agentConfig(String agent) throws IOException {
        return new YAMLMapper().readTree(StackFiles.PROMETHEUS_YML.resolveSibling(agent + ".yml").toFile());
    }

    @Test
    void grafanaIsProvisionedWithThatPrometheusAndTheDashboard() {
        JsonNode ds = datasources.path("datasources").get(0);
        assertThat(ds.path("type").asText()).isEqualTo("prometheus");
        URI url = URI.create(ds.path("url").asText());
        assertThat(url.getHost()).isEqualTo("prometheus");
        assertThat(url.getPort()).isEqualTo(9090);
        assertThat(COMPOSE.ports("prometheus")).allSatisfy(p -> assertThat(p.containerPort()).isEqualTo(9090));
        assertThat(COMPOSE.networks("grafana")).containsAnyElementsOf(COMPOSE.networks("prometheus"));
        assertThat(COMPOSE.bindSourceOf("grafana", "/etc/grafana/provisioning")).isEqualTo("./grafana/provisioning");
        assertThat(COMPOSE.bindSourceOf("grafana", "/var/lib/grafana/dashboards")).isEqualTo("./grafana/dashboards");
        assertThat(StackFiles.read(StackFiles.GRAFANA_PROVISIONING.resolve("dashboards/foobar.yml")))
                .contains("path: /var/lib/grafana/dashboards");

        String uid = ds.path("uid").asText();
        assertThat(uid).isNotBlank();
        Set<Integer> ids = new HashSet<>();
        for (JsonNode panel : panels()) {
            assertThat(ids.add(panel.path("id").asInt())).as("panel ids are unique").isTrue();
            if (panel.path("type").asText().equals("row")) {
                continue;
            }
            assertThat(panel.path("datasource").path("uid").asText()).as(panel.path("title").asText()).isEqualTo(uid);
            assertThat(panel.path("targets").size()).as(panel.path("title").asText()).isPositive();
            for (JsonNode t : panel.path("targets")) {
                assertThat(t.path("expr").asText()).as(panel.path("title").asText()).isNotBlank();
            }
        }
    }

    @Test
    void theDashboardShowsTrafficErrorsLatencyAndEachServer() {
        List<String> titles = new ArrayList<>();
        panels().forEach(p -> titles.add(p.path("title").asText().toLowerCase()));
        for (String wanted : List.of("requests per second per web server", "status class", "p50 / p95 / p99",
                "web server health", "reads and writes per database node", "replica lag", "router fallbacks")) {
            assertThat(titles).as("a panel about %s", wanted).anyMatch(t -> t.contains(wanted));
        }
    }

    @Test
    void everySeriesAndLabelTheDashboardAndAlertsQueryIsRegisteredByTheCode() throws Exception {
        Map<String, MeterNames> modules = new LinkedHashMap<>();
        for (String module : List.of("balancer", "webapp", "db-router", "db-failover")) {
            modules.put(module, MeterNames.of(StackFiles.ROOT.resolve(module)));
        }
        assertThat(modules.get("balancer").series).as("the balancer registers balancer_* meters").isNotEmpty();
        Set<String> unknownSeries = new TreeSet<>();
        Set<String> unknownLabels = new TreeSet<>();
        Map<String, String> queries = queries();
        assertThat(queries).isNotEmpty();
        for (Map.Entry<String, String> q : queries.entrySet()) {
            String expr = q.getValue();
            List<MeterNames> owners = new ArrayList<>();
            Matcher m = SERIES.matcher(expr);
            while (m.find()) {
                String series = m.group(1);
                if (HIKARI_SERIES.contains(series)) {
                    assertThat(modules.get("db-router").bindsHikariMeters)
                            .as("%s: the db-router binds HikariCP's meters", series).isTrue();
                    continue;
                }
                MeterNames owner = modules.values().stream().filter(n -> n.series.containsKey(series))
                        .findFirst().orElse(null);
                if (owner == null) {
                    unknownSeries.add(series + " (" + q.getKey() + ")");
                } else {
                    owners.add(owner);
                }
            }
            for (String label : labels(expr)) {
                if (!owners.isEmpty() && owners.stream().noneMatch(o -> o.literals.contains(label))) {
                    unknownLabels.add(label + " in " + expr);
                }
            }
        }
        assertThat(unknownSeries).as("series no module registers").isEmpty();
        assertThat(unknownLabels).as("labels no module tags its meters with").isEmpty();
    }

    @Test
    void prometheusLoadsTheAlertRulesItIsGiven() {
        assertThat(prometheus.path("rule_files").toString()).isEqualTo("[\"alerts.yml\"]");
        assertThat(COMPOSE.bindSourceOf("prometheus", "/etc/prometheus/alerts.yml")).isEqualTo("./prometheus/alerts.yml");
    }

    /** Every PromQL query of the dashboard and the alert rules, keyed by where it comes from. */
    static Map<String, String> queries() throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode panel : panels()) {
            int i = 0;
            for (JsonNode t : panel.path("targets")) {
                out.put("panel \"" + panel.path("title").asText() + "\" #" + i++, t.path("expr").asText());
            }
        }
        JsonNode rules = new YAMLMapper().readTree(StackFiles.PROMETHEUS_YML.resolveSibling("alerts.yml").toFile());
        for (JsonNode group : rules.path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                out.put("alert " + rule.path("alert").asText(), rule.path("expr").asText());
            }
        }
        return out;
    }

    @Test
    void everyDashboardFileIsValidJson() throws Exception {
        try (Stream<Path> files = Files.list(StackFiles.GRAFANA_DASHBOARDS)) {
            for (Path f : files.toList()) {
                assertThat(f.getFileName().toString()).endsWith(".json");
                JsonNode d = new ObjectMapper().readTree(f.toFile());
                assertThat(d.path("uid").asText()).isNotBlank();
                assertThat(d.path("panels").isArray()).isTrue();
            }
        }
    }

    static List<JsonNode> panels() {
        JsonNode d = dashboard;
        if (d == null) {
            try {
                d = new ObjectMapper().readTree(StackFiles.GRAFANA_DASHBOARDS.resolve("foobar.json").toFile());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode p : d.path("panels")) {
            out.add(p);
            p.path("panels").forEach(out::add);
        }
        return out;
    }

    private static Set<String> labels(String expr) {
        Set<String> out = new TreeSet<>();
        Matcher by = BY.matcher(expr);
        while (by.find()) {
            for (String l : by.group(1).split(",")) {
                if (!l.isBlank()) {
                    out.add(l.trim());
                }
            }
        }
        Matcher m = MATCHER.matcher(expr);
        while (m.find()) {
            out.add(m.group(1));
        }
        out.removeAll(PROMETHEUS_LABELS);
        return out;
    }
}
