package com.foobar.webapp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.foobar.balancer.Balancer;
import com.foobar.balancer.config.ConfigLoader;
import com.foobar.devdb.DevDb;
import com.foobar.devdb.ReplicaNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The architecture at work: a replicated pair, web-1 and web-2 over it, and the balancer in front, all on
 * 127.0.0.1 in this JVM. Orders placed on one web server are listed by the other at once, with the replica lagging.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int GETS = 100;
    private static final int ROUNDS = 200;
    private static final Duration REPLICA_DELAY = Duration.ofSeconds(1);
    /**
     * Shorter than the delay, so every read carrying a token gives up on the lagging replica and goes to the
     * primary: the rounds stay fast and still prove no read is stale.
     */
    private static final Duration CAUSAL_READ_TIMEOUT = Duration.ofMillis(150);

    private static WebApp web1;
    private static WebApp web2;
    private static Balancer balancer;
    private static URI front;

    @BeforeAll
    static void start() throws Exception {
        web1 = SharedDevDb.startWebApp("web-1", CAUSAL_READ_TIMEOUT);
        web2 = SharedDevDb.startWebApp("web-2", CAUSAL_READ_TIMEOUT);
        // Liveness, not /ready, decides membership: with the primary down the shop must keep serving reads.
        String yaml = """
                pools:
                  web:
                    algorithm: round-robin
                    servers:
                      - name: web-1
                        address: 127.0.0.1:%d
                      - name: web-2
                        address: 127.0.0.1:%d
                    health_check:
                      path: /health
                      interval: 200ms
                      # No test here stops a web server; on a loaded CI machine one slow /health must not take a
                      # server out (fall: 1 with a 1 s timeout did, and the test saw 503 "no usable server").
                      timeout: 3s
                      rise: 1
                      fall: 3
                listeners:
                  - name: http
                    bind: 127.0.0.1:0
                    default_pool: web
                admin:
                  bind: 127.0.0.1:0
                access_log: off
                """.formatted(web1.port(), web2.port());
        balancer = Balancer.start(ConfigLoader.parse(yaml), null);
        InetSocketAddress at = balancer.listenerAddress("http");
        front = URI.create("http://127.0.0.1:" + at.getPort() + "/");
        TestClient probe = new TestClient(front);
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            Map<String, Integer> seen = new HashMap<>();
            for (int i = 0; i < 4; i++) {
                seen.merge(probe.get("/health").headers().firstValue("X-Served-By").orElse("?"), 1, Integer::sum);
            }
            return seen.containsKey("web-1") && seen.containsKey("web-2");
        });
    }

    @AfterAll
    static void stop() {
        if (balancer != null) {
            balancer.close();
        }
        for (WebApp app : new WebApp[] {web1, web2}) {
            if (app != null) {
                app.close();
            }
        }
        replica().setReplicationDelay(Duration.ZERO);
    }

    /** Each web server's state as the balancer's admin API reports it. */
    private static Map<String, String> balancerServerStates() throws Exception {
        TestClient admin = new TestClient(URI.create("http://127.0.0.1:" + balancer.adminAddress().getPort() + "/"));
        Map<String, String> states = new HashMap<>();
        for (JsonNode pool : JSON.readTree(admin.get("/api/status").body()).path("pools")) {
            for (JsonNode server : pool.path("servers")) {
                states.put(server.path("name").asText(), server.path("state").asText());
            }
        }
        return states;
    }

    private static ReplicaNode replica() {
        return SharedDevDb.get().replicas().get(0);
    }

    @Test
    @Order(1)
    void getsThroughTheBalancerAreSplitBetweenBothWebServers() throws Exception {
        TestClient c = new TestClient(front);
        Map<String, Integer> servedBy = new HashMap<>();
        for (int i = 0; i < GETS; i++) {
            HttpResponse<String> r = c.get("/api/products");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("X-Db-Node")).isPresent();
            servedBy.merge(r.headers().firstValue("X-Served-By").orElseThrow(), 1, Integer::sum);
        }
        assertThat(servedBy).containsOnlyKeys("web-1", "web-2");
        assertThat(servedBy.get("web-1") + servedBy.get("web-2")).isEqualTo(GETS);
        assertThat(servedBy.get("web-1")).isBetween(GETS / 2 - 10, GETS / 2 + 10);
    }

    @Test
    @Order(2)
    void anOrderPlacedOnOneWebServerIsListedByTheOtherAtOnceWhileTheReplicaLags() throws Exception {
        TestClient shopper = new TestClient(front);
        HttpResponse<String> created = shopper.postJson("/api/products",
                "{\"name\":\"E2E Thing\",\"price_cents\":100,\"stock\":10000}");
        assertThat(created.statusCode()).isEqualTo(201);
        long product = JSON.readTree(created.body()).get("id").asLong();
        await().atMost(Duration.ofSeconds(10)).until(() ->
                new TestClient(front).get("/api/products/" + product).statusCode() == 200);

        replica().setReplicationDelay(REPLICA_DELAY);
        try {
            SharedDevDb.awaitReplicaUsable(web1);
            SharedDevDb.awaitReplicaUsable(web2);
            // The control: without the token, a read right after a write sees the replica's stale stock.
            assertThat(shopper.postJson("/api/orders", "{\"product_id\":" + product + ",\"quantity\":1}")
                    .statusCode()).isEqualTo(201);
            HttpResponse<String> stale = new TestClient(front).get("/api/products/" + product);
            assertThat(stale.headers().firstValue("X-Db-Node")).contains("replica-1");
            assertThat(JSON.readTree(stale.body()).get("stock").asInt()).isEqualTo(10000);

            int crossed = 0;
            for (int round = 0; round < ROUNDS; round++) {
                HttpResponse<String> post = shopper.postJson("/api/orders",
                        "{\"product_id\":" + product + ",\"quantity\":1}");
                assertThat(post.statusCode()).as(post.body()).isEqualTo(201);
                long orderId = JSON.readTree(post.body()).get("id").asLong();
                HttpResponse<String> list = shopper.get("/api/orders");
                assertThat(list.statusCode()).isEqualTo(200);
                boolean listed = false;
                for (JsonNode o : JSON.readTree(list.body()).get("orders")) {
                    listed |= o.get("id").asLong() == orderId;
                }
                assertThat(listed).as("round %d: order %d placed on %s, listed by %s from %s", round, orderId,
                        post.headers().firstValue("X-Served-By").orElse("?"),
                        list.headers().firstValue("X-Served-By").orElse("?"),
                        list.headers().firstValue("X-Db-Node").orElse("?")).isTrue();
                if (!post.headers().firstValue("X-Served-By").equals(list.headers().firstValue("X-Served-By"))) {
                    crossed++;
                }
            }
            // Round-robin alternates, so the write and the read land on different web servers.
            assertThat(crossed).isGreaterThanOrEqualTo(ROUNDS / 2);
        } finally {
            replica().setReplicationDelay(Duration.ZERO);
        }
    }

    @Test
    @Order(3)
    void withThePrimaryDownReadyIs503WritesGet503AndReadsStillWork() throws Exception {
        DevDb db = SharedDevDb.get();
        TestClient direct1 = new TestClient(web1.uri());
        TestClient direct2 = new TestClient(web2.uri());
        TestClient shopper = new TestClient(front);
        db.primary().stop();
        try {
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                assertThat(direct1.get("/ready").statusCode()).isEqualTo(503);
                assertThat(direct2.get("/ready").statusCode()).isEqualTo(503);
            });
            JsonNode why = JSON.readTree(direct1.get("/ready").body());
            assertThat(why.get("reason").asText()).isNotBlank();

            // Writes in a row, more than outlier detection's 5 per server: each web server answers them honestly with
            // 503 and Retry-After. That is not a failure of the web server, so neither is ejected (they were, before
            // the balancer told the two apart) and both keep serving reads.
            for (int i = 0; i < 12; i++) {
                HttpResponse<String> write = shopper.postJson("/api/orders", "{\"product_id\":1,\"quantity\":1}");
                assertThat(write.statusCode()).isEqualTo(503);
                assertThat(JSON.readTree(write.body()).get("error").asText()).contains("primary");
                assertThat(write.headers().firstValue("Retry-After")).isPresent();
            }
            assertThat(balancerServerStates()).containsOnly(Map.entry("web-1", "up"), Map.entry("web-2", "up"));

            Map<String, Integer> readsServedBy = new HashMap<>();
            for (int i = 0; i < 20; i++) {
                HttpResponse<String> write = shopper.postJson("/api/orders", "{\"product_id\":1,\"quantity\":1}");
                assertThat(write.statusCode()).isEqualTo(503);
                HttpResponse<String> read = shopper.get("/api/products");
                assertThat(read.statusCode()).isEqualTo(200);
                assertThat(read.headers().firstValue("X-Db-Node")).contains("replica-1");
                readsServedBy.merge(read.headers().firstValue("X-Served-By").orElse("?"), 1, Integer::sum);
                assertThat(shopper.get("/").statusCode()).isEqualTo(200);
            }
            assertThat(readsServedBy).containsOnlyKeys("web-1", "web-2");
            assertThat(balancerServerStates()).containsOnly(Map.entry("web-1", "up"), Map.entry("web-2", "up"));
        } finally {
            db.primary().start();
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(direct1.get("/ready").statusCode()).isEqualTo(200);
            assertThat(direct2.get("/ready").statusCode()).isEqualTo(200);
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> shopper.postJson("/api/orders",
                "{\"product_id\":1,\"quantity\":1}").statusCode() == 201);
    }
}
