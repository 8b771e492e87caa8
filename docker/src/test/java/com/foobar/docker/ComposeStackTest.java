package com.foobar.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.ComposeContainer;
import org.testcontainers.containers.ContainerState;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.startupcheck.OneShotStartupCheckStrategy;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;

import java.io.IOException;
import java.net.InetAddress;
import java.net.CookieManager;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Where a Docker engine exists (CI on ubuntu-latest), brings the whole compose stack up from docker/compose.yaml,
 * builds the images, shops through the lb, checks that the web servers accept only the lb (and Prometheus's scrape),
 * and brings it down with its volumes. Skipped cleanly without Docker.
 *
 * Host ports are free ones picked here and passed through the compose file's LB_HTTP_PORT etc., on 127.0.0.1 only, so
 * the test neither collides with a running stack nor listens on the machine's other interfaces.
 */
@Testcontainers(disabledWithoutDocker = true)
class ComposeStackTest {
    private static final Duration STARTUP = Duration.ofMinutes(15);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Not the default 10.213.7: a stack a developer left running keeps its network, and the override is tested. */
    private static final String APP_NET = "10.213.8";

    private static ComposeContainer stack;
    private static int httpPort;
    private static int adminPort;
    private static int prometheusPort;
    private static HttpClient client;

    @BeforeAll
    static void up() throws IOException {
        httpPort = freePort();
        adminPort = freePort();
        prometheusPort = freePort();
        stack = new ComposeContainer(StackFiles.COMPOSE.toFile())
                .withBuild(true)
                .withPull(false)
                .withEnv("LB_HTTP_ADDRESS", "127.0.0.1")
                .withEnv("LB_HTTP_PORT", Integer.toString(httpPort))
                .withEnv("LB_HTTPS_PORT", Integer.toString(freePort()))
                .withEnv("LB_ADMIN_PORT", Integer.toString(adminPort))
                .withEnv("PROMETHEUS_PORT", Integer.toString(prometheusPort))
                .withEnv("GRAFANA_PORT", Integer.toString(freePort()))
                .withEnv("FOOBAR_APP_NET", APP_NET)
                .withRemoveVolumes(true)
                .waitingFor("lb-1", Wait.forHealthcheck().withStartupTimeout(STARTUP))
                .waitingFor("prometheus-1", Wait.forHealthcheck().withStartupTimeout(STARTUP))
                .waitingFor("grafana-1", Wait.forHealthcheck().withStartupTimeout(STARTUP))
                .withStartupTimeout(STARTUP);
        stack.start();
        client = HttpClient.newBuilder().cookieHandler(new CookieManager()).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void down() {
        if (stack != null) {
            stack.stop();
        }
    }

    @Test
    void servesTheShopThroughTheLoadBalancerFromBothWebServers() throws Exception {
        Set<String> servedBy = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> home = get("/");
            assertThat(home.statusCode()).isEqualTo(200);
            assertThat(home.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
            servedBy.add(home.headers().firstValue("X-Served-By").orElse("none"));
        }
        assertThat(servedBy).containsExactlyInAnyOrder("web-1", "web-2");
    }

    @Test
    void placesAnOrderAndReadsItBackThroughTheLoadBalancer() throws Exception {
        HttpResponse<String> products = get("/api/products");
        assertThat(products.statusCode()).isEqualTo(200);
        JsonNode items = JSON.readTree(products.body()).path("items");
        assertThat(items.size()).as("seeded products").isPositive();
        long productId = items.get(0).path("id").asLong();

        HttpResponse<String> placed = client.send(request("/api/orders")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"product_id\":" + productId + ",\"quantity\":1}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(placed.statusCode()).as(placed.body()).isEqualTo(201);
        assertThat(placed.headers().firstValue("X-Db-Node")).contains("primary");
        long orderId = JSON.readTree(placed.body()).path("id").asLong();

        // Read at once, through the lb, so on either web server: read-your-writes makes the order visible.
        HttpResponse<String> mine = get("/api/orders");
        assertThat(mine.statusCode()).isEqualTo(200);
        Set<Long> ids = new HashSet<>();
        JSON.readTree(mine.body()).path("orders").forEach(o -> ids.add(o.path("id").asLong()));
        assertThat(ids).contains(orderId);
    }

    @Test
    void theAdminApiIsPublishedOnLoopbackAndSeesBothServersUp() throws Exception {
        HttpResponse<String> status = client.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + adminPort + "/api/status")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(status.statusCode()).isEqualTo(200);
        Set<String> up = new HashSet<>();
        for (JsonNode pool : JSON.readTree(status.body()).path("pools")) {
            for (JsonNode server : pool.path("servers")) {
                if (server.path("state").asText().equals("up")) {
                    up.add(server.path("name").asText());
                }
            }
        }
        assertThat(up).containsExactlyInAnyOrder("web-1", "web-2");
    }

    @Test
    void anotherContainerOnTheAppNetworkIsRefusedByTheWebServers() {
        // Any container attached to app, as `docker run --network <project>_app` would do: it gets an address from
        // the network's dynamic range, which no web server trusts. The webapp image is used for its curl.
        String app = networkOf("lb-1", "_app");
        try (GenericContainer<?> stranger = new GenericContainer<>(DockerImageName.parse("foobar/webapp:latest"))
                .withNetworkMode(app)
                .withCreateContainerCmdModifier(cmd -> cmd.withEntrypoint("curl"))
                .withCommand("-sS", "--max-time", "10", "-w", "\nstatus=%{http_code} %{url_effective}\n",
                        "http://web-1:8080/", "http://web-2:8080/", "http://web-1:8080/ready",
                        "http://web-2:8080/metrics", "http://web-1:8080/health")
                .withStartupCheckStrategy(new OneShotStartupCheckStrategy().withTimeout(Duration.ofMinutes(1)))) {
            stranger.start();
            String out = stranger.getLogs();
            for (String url : List.of("http://web-1:8080/", "http://web-2:8080/", "http://web-1:8080/ready",
                    "http://web-2:8080/metrics", "http://web-1:8080/health")) {
                assertThat(out).as("a stranger on app asks %s", url).contains("status=403 " + url + "\n");
            }
            assertThat(out).contains("forbidden: this server only accepts requests through its load balancer");
        }
    }

    @Test
    void prometheusScrapesBothWebServersThroughTheirGateFromItsFixedAddress() {
        // Prometheus is trusted by address (compose.yaml); if it were not, up{job="webapp"} would be 0 (403).
        URI query = URI.create("http://127.0.0.1:" + prometheusPort + "/api/v1/query?query="
                + URLEncoder.encode("up{job=\"webapp\"}", StandardCharsets.UTF_8));
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(query).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            Map<String, String> up = new HashMap<>();
            for (JsonNode series : JSON.readTree(r.body()).path("data").path("result")) {
                up.put(series.path("metric").path("instance").asText(), series.path("value").path(1).asText());
            }
            assertThat(up).containsOnly(Map.entry("web-1", "1"), Map.entry("web-2", "1"));
        });
    }

    /** The full name (project prefix included) of the network a compose container is on, by its suffix. */
    private static String networkOf(String container, String suffix) {
        ContainerState state = stack.getContainerByServiceName(container)
                .orElseThrow(() -> new AssertionError("no container " + container));
        return state.getContainerInfo().getNetworkSettings().getNetworks().keySet().stream()
                .filter(n -> n.endsWith(suffix)).findFirst()
                .orElseThrow(() -> new AssertionError(container + " is on no network *" + suffix));
    }

    private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return client.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder request(String path) {
        // As `curl -H 'Host: www.foobar.com' http://localhost/`. The JDK client sends a Host header only with
        // jdk.httpclient.allowRestrictedHeaders=host, which the module's Surefire configuration sets.
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .header("Host", "www.foobar.com")
                .timeout(Duration.ofSeconds(10));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
