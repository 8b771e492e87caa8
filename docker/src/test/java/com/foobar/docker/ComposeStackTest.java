package com.foobar.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.ComposeContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Testcontainers;

import java.io.IOException;
import java.net.InetAddress;
import java.net.CookieManager;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where a Docker engine exists (CI on ubuntu-latest), brings the whole compose stack up from docker/compose.yaml,
 * builds the images, shops through the lb, and brings it down with its volumes. Skipped cleanly without Docker.
 *
 * Host ports are free ones picked here and passed through the compose file's LB_HTTP_PORT etc., on 127.0.0.1 only, so
 * the test neither collides with a running stack nor listens on the machine's other interfaces.
 */
@Testcontainers(disabledWithoutDocker = true)
class ComposeStackTest {
    private static final Duration STARTUP = Duration.ofMinutes(15);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ComposeContainer stack;
    private static int httpPort;
    private static int adminPort;
    private static HttpClient client;

    @BeforeAll
    static void up() throws IOException {
        httpPort = freePort();
        adminPort = freePort();
        stack = new ComposeContainer(StackFiles.COMPOSE.toFile())
                .withBuild(true)
                .withPull(false)
                .withEnv("LB_HTTP_ADDRESS", "127.0.0.1")
                .withEnv("LB_HTTP_PORT", Integer.toString(httpPort))
                .withEnv("LB_HTTPS_PORT", Integer.toString(freePort()))
                .withEnv("LB_ADMIN_PORT", Integer.toString(adminPort))
                .withEnv("PROMETHEUS_PORT", Integer.toString(freePort()))
                .withEnv("GRAFANA_PORT", Integer.toString(freePort()))
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
