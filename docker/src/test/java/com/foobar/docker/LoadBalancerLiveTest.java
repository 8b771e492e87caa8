package com.foobar.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.foobar.balancer.Balancer;
import com.foobar.balancer.config.ConfigLoader;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The real balancer, started in-process from docker/balancer.yml with only the addresses moved onto loopback: its
 * binds become 127.0.0.1:0, and web-1/web-2 become two small HTTP servers here that answer as the webapp does
 * (X-Served-By, /health). Then the compose file's promises are exercised: health checks on the configured path bring
 * both servers up, Host www.foobar.com and a bare localhost both reach the pool, the admin listener answers the
 * healthcheck's /api/status and Prometheus's /metrics, and the dashboard's balancer_* series are really exposed.
 */
class LoadBalancerLiveTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SERIES_LINE = Pattern.compile("(?m)^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]");
    /** Created on their first event (a retry, an ejection), so absent from a scrape of a healthy pool. */
    private static final Set<String> EVENT_SERIES = Set.of("balancer_retries_total", "balancer_ejections_total");

    @TempDir
    static Path dir;

    private static final Map<String, HttpServer> webServers = new LinkedHashMap<>();
    private static final Set<String> healthPathsProbed = ConcurrentHashMap.newKeySet();
    private static Balancer balancer;
    private static HttpClient client;
    private static String healthPath;

    @BeforeAll
    static void start() throws Exception {
        YAMLMapper yaml = new YAMLMapper();
        ObjectNode config = (ObjectNode) yaml.readTree(StackFiles.BALANCER_YML.toFile());
        for (JsonNode listener : config.path("listeners")) {
            ((ObjectNode) listener).put("bind", "127.0.0.1:0");
        }
        // The container's volume is not here: the tls.auto CA and certificate go to the test's own directory.
        config.put("data_dir", dir.resolve("balancer-data").toString());
        ((ObjectNode) config.path("admin")).put("bind", "127.0.0.1:0");
        config.put("access_log", "off");
        // Only the pace: checks every 250 ms instead of every few seconds, so that the pool comes up quickly.
        ObjectNode healthCheck = (ObjectNode) config.path("pools").path("web").path("health_check");
        healthCheck.put("interval", "250ms");
        healthPath = healthCheck.path("path").asText();
        for (JsonNode server : config.path("pools").path("web").path("servers")) {
            String name = server.path("name").asText();
            HttpServer web = standIn(name);
            webServers.put(name, web);
            ((ObjectNode) server).put("address", "127.0.0.1:" + web.getAddress().getPort());
        }
        Path file = dir.resolve("balancer.yml");
        yaml.writeValue(file.toFile(), config);
        balancer = Balancer.start(ConfigLoader.load(file), null);
        client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        await().atMost(Duration.ofSeconds(60)).until(() -> serversUp().size() == webServers.size());
    }

    @AfterAll
    static void stop() {
        if (balancer != null) {
            balancer.close(Duration.ZERO);
        }
        webServers.values().forEach(s -> s.stop(0));
    }

    @Test
    void healthChecksAskTheConfiguredPathAndBringEveryServerUp() throws Exception {
        assertThat(serversUp()).containsExactlyInAnyOrderElementsOf(webServers.keySet());
        assertThat(healthPathsProbed).contains(healthPath);
    }

    @Test
    void plainHttpOnlyRedirectsToHttps() throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + balancer.listenerAddress("public").getPort() + "/api/products?page=2")).header("Host", "www.foobar.com")
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(308);
        assertThat(r.headers().firstValue("Location")).contains("https://www.foobar.com/api/products?page=2");
        assertThat(r.headers().firstValue("X-Served-By")).as("nothing is proxied from port 80").isEmpty();
    }

    @Test
    void wwwFoobarComAndBareLocalhostReachBothWebServersOverHttps() throws Exception {
        for (String host : new String[] {"www.foobar.com", "foobar.com", "localhost"}) {
            // The tls.auto CA trusted for the name asked for, as a client of the site with that CA would.
            HttpClient site = siteClient(host);
            Set<String> servedBy = new HashSet<>();
            for (int i = 0; i < 10; i++) {
                HttpResponse<String> r = site.send(HttpRequest.newBuilder(publicUri("/"))
                        .header("Host", host).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as("Host: %s", host).isEqualTo(200);
                servedBy.add(r.headers().firstValue("X-Served-By").orElse("none"));
            }
            assertThat(servedBy).as("Host: %s", host).containsExactlyInAnyOrderElementsOf(webServers.keySet());
        }
    }

    @Test
    void theAdminListenerServesTheHealthcheckAndPrometheusPaths() throws Exception {
        // The same requests as compose's lb healthcheck and Prometheus's balancer job.
        assertThat(admin("/api/status").statusCode()).isEqualTo(200);
        HttpResponse<String> metrics = admin("/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
    }

    @Test
    void everyBalancerSeriesTheDashboardAndAlertsQueryIsExposed() throws Exception {
        for (int i = 0; i < 4; i++) {
            siteClient("www.foobar.com").send(HttpRequest.newBuilder(publicUri("/")).header("Host", "www.foobar.com")
                    .build(), HttpResponse.BodyHandlers.discarding());
        }
        Set<String> exposed = new TreeSet<>();
        Matcher m = SERIES_LINE.matcher(admin("/metrics").body());
        while (m.find()) {
            exposed.add(m.group(1));
        }
        Set<String> onDashboard = new TreeSet<>();
        Pattern series = Pattern.compile("\\b(balancer_[a-z0-9_]+)\\b");
        for (String expr : MonitoringContractTest.queries().values()) {
            Matcher d = series.matcher(expr);
            while (d.find()) {
                onDashboard.add(d.group(1));
            }
        }
        assertThat(onDashboard).isNotEmpty();
        onDashboard.removeAll(EVENT_SERIES);
        assertThat(exposed).containsAll(onDashboard);
    }

    private static Set<String> serversUp() throws IOException, InterruptedException {
        Set<String> up = new TreeSet<>();
        for (JsonNode pool : JSON.readTree(admin("/api/status").body()).path("pools")) {
            for (JsonNode server : pool.path("servers")) {
                if (server.path("state").asText().equals("up")) {
                    up.add(server.path("name").asText());
                }
            }
        }
        return up;
    }

    private static HttpResponse<String> admin(String path) throws IOException, InterruptedException {
        InetSocketAddress a = balancer.adminAddress();
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + a.getPort() + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The site: the https listener (port 80 only redirects). */
    private static URI publicUri(String path) {
        return URI.create("https://127.0.0.1:" + balancer.listenerAddress("https").getPort() + path);
    }

    private static HttpClient siteClient(String name) throws Exception {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).version(HttpClient.Version.HTTP_1_1)
                .sslContext(SiteTrust.forSite(dir.resolve("balancer-data").resolve("tls").resolve("ca.pem"), name))
                .build();
    }

    /** Answers like the webapp as far as the balancer can tell: its health path, and X-Served-By on everything. */
    private static HttpServer standIn(String name) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            healthPathsProbed.add(exchange.getRequestURI().getPath());
            byte[] body = ("served by " + name + "\n").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("X-Served-By", name);
            exchange.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        return server;
    }
}
