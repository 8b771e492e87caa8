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

    @Test
    void prometheusScrapesTheBalancerAdminAndBothWebServersOnMetrics() {
        Map<String, List<String>> targets = new LinkedHashMap<>();
        for (JsonNode job : prometheus.path("scrape_configs")) {
            assertThat(job.path("metrics_path").asText("/metrics")).isEqualTo(WebAppContract.METRICS);
            List<String> list = new ArrayList<>();
            for (JsonNode sc : job.path("static_configs")) {
                sc.path("targets").forEach(t -> list.add(t.asText()));
            }
            targets.put(job.path("job_name").asText(), list);
        }
        assertThat(targets).containsOnlyKeys("balancer", "webapp", "db-failover");
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
        // The failover decider, on its status address's port.
        String bind = COMPOSE.environment("db-failover").get("FOOBAR_FAILOVER_STATUS_BIND");
        assertThat(targets.get("db-failover")).containsExactly("db-failover:" + bind.substring(bind.lastIndexOf(':') + 1));
    }

    @Test
    void prometheusSharesANetworkWithEveryTargetAndMountsThisConfiguration() {
        for (String target : List.of("lb-1", "lb-2", "web-1", "web-2", "db-failover")) {
            assertThat(COMPOSE.networks("prometheus")).as("prometheus reaches %s", target)
                    .containsAnyElementsOf(COMPOSE.networks(target));
        }
        assertThat(COMPOSE.bindSourceOf("prometheus", "/etc/prometheus/prometheus.yml"))
                .isEqualTo("./prometheus/prometheus.yml");
        assertThat(COMPOSE.service("prometheus").path("command").toString())
                .contains("--config.file=/etc/prometheus/prometheus.yml");
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
