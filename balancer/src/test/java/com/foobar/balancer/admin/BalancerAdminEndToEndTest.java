package com.foobar.balancer.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.foobar.balancer.Balancer;
import com.foobar.balancer.config.ConfigLoader;
import com.foobar.balancer.testing.TestBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The core's state as the whole balancer drives it with real traffic: the proxy reports outcomes, outlier detection
 * ejects, the admin API shows it and drains, and the metrics count it.
 */
class BalancerAdminEndToEndTest {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private TestBackend good;
    private TestBackend bad;
    private Balancer balancer;

    @BeforeEach
    void start() throws Exception {
        good = TestBackend.start("good");
        bad = TestBackend.start("bad");
        balancer = Balancer.start(ConfigLoader.parse("""
                listeners: [{ name: public, bind: 127.0.0.1:0, default_pool: web }]
                admin: { bind: 127.0.0.1:0 }
                access_log: off
                pools:
                  web:
                    algorithm: round-robin
                    retries: 0
                    outlier_detection: { consecutive_5xx: 3, base_ejection_time: 1m, max_ejection_percent: 50 }
                    servers:
                      - { name: good, address: %s }
                      - { name: bad, address: %s }
                """.formatted(good.address(), bad.address())), null);
    }

    @AfterEach
    void stop() {
        if (balancer != null) {
            balancer.close(Duration.ZERO);
        }
        good.close();
        bad.close();
    }

    private HttpResponse<String> proxied(String path) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + balancer.listenerAddress("public").getPort() + path);
        return CLIENT.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> admin(String method, String path) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + balancer.adminAddress().getPort() + path);
        return CLIENT.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private Map<String, JsonNode> servers() throws Exception {
        Map<String, JsonNode> byName = new HashMap<>();
        for (JsonNode s : JSON.readTree(admin("GET", "/api/status").body()).get("pools").get(0).get("servers")) {
            byName.put(s.get("name").asText(), s);
        }
        return byName;
    }

    @Test
    void serverAnswering5xxIsEjectedAndTrafficGoesToTheOther() throws Exception {
        bad.status(500);
        // Round-robin sends every other request to "bad"; three 500s in a row from it eject it.
        for (int i = 0; i < 6; i++) {
            proxied("/item/" + i);
        }
        assertThat(servers().get("bad").get("state").asText()).isEqualTo("ejected");
        assertThat(servers().get("bad").get("failures").asLong()).isEqualTo(3);
        assertThat(servers().get("bad").get("ejections").asInt()).isEqualTo(1);

        int badBefore = bad.requests();
        for (int i = 0; i < 10; i++) {
            HttpResponse<String> res = proxied("/after/" + i);
            assertThat(res.statusCode()).isEqualTo(200);
            assertThat(res.body()).isEqualTo("hello from good\n");
        }
        assertThat(bad.requests()).isEqualTo(badBefore);

        String metrics = admin("GET", "/metrics").body();
        assertThat(metrics)
                .contains("balancer_requests_total{listener=\"public\",pool=\"web\",server=\"bad\",status_class=\"5xx\"} 3.0")
                .contains("balancer_requests_total{listener=\"public\",pool=\"web\",server=\"good\",status_class=\"2xx\"} 13.0")
                .contains("balancer_ejections_total{pool=\"web\",server=\"bad\"} 1.0")
                .contains("balancer_server_state{pool=\"web\",server=\"bad\",state=\"ejected\"} 1.0")
                .contains("balancer_requests_in_flight{pool=\"web\",server=\"good\"} 0.0");
    }

    @Test
    void drainedServerGetsNoNewRequestsUntilEnabled() throws Exception {
        assertThat(admin("POST", "/api/pools/web/servers/good/drain").statusCode()).isEqualTo(200);
        for (int i = 0; i < 6; i++) {
            assertThat(proxied("/").body()).isEqualTo("hello from bad\n");
        }
        assertThat(admin("POST", "/api/pools/web/servers/good/enable").statusCode()).isEqualTo(200);
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < 6; i++) {
            seen.merge(proxied("/").body(), 1, Integer::sum);
        }
        assertThat(seen).containsEntry("hello from good\n", 3).containsEntry("hello from bad\n", 3);
        await().atMost(Duration.ofSeconds(5)).until(() -> servers().get("good").get("in_flight").asInt() == 0);
        assertThat(servers().get("good").get("requests").asLong()).isEqualTo(3);
    }

    @Test
    void noUsableServerCountsANoServer503() throws Exception {
        admin("POST", "/api/pools/web/servers/good/drain");
        admin("POST", "/api/pools/web/servers/bad/drain");
        HttpResponse<String> res = proxied("/");
        assertThat(res.statusCode()).isEqualTo(503);
        assertThat(admin("GET", "/metrics").body())
                .contains("balancer_no_server_total{listener=\"public\",pool=\"web\"} 1.0");
    }
}
