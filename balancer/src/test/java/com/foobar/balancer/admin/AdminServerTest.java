package com.foobar.balancer.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.foobar.balancer.config.AdminConfig;
import com.foobar.balancer.config.ConfigLoader;
import com.foobar.balancer.config.HostPort;
import com.foobar.balancer.metrics.BalancerMetrics;
import com.foobar.balancer.upstream.FailureKind;
import com.foobar.balancer.upstream.ServerState;
import com.foobar.balancer.upstream.Upstreams;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AdminServerTest {
    private static final String CONFIG = """
            listeners: [{ name: public, bind: 127.0.0.1:0, default_pool: web }]
            admin: { bind: 127.0.0.1:0 }
            pools:
              web:
                servers:
                  - { name: web-1, address: 127.0.0.1:8081 }
                  - { name: web-2, address: 127.0.0.1:8082, weight: 2 }
                  - { name: sorry, address: 127.0.0.1:8089, backup: true }
              api:
                algorithm: least-connections
                servers:
                  - { name: api-1, address: 127.0.0.1:8091 }
            """;

    private static EventLoopGroup group;
    private static BalancerMetrics metrics;
    private static Upstreams upstreams;
    private static AdminServer admin;
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        metrics = new BalancerMetrics();
        upstreams = Upstreams.start(ConfigLoader.parse(CONFIG), metrics, group);
        admin = AdminServer.start(upstreams.config().admin(), upstreams, metrics, group);
    }

    @AfterAll
    static void stop() {
        admin.close();
        upstreams.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @BeforeEach
    void enableAll() {
        upstreams.pools().forEach(p -> p.servers().forEach(s -> s.enable()));
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(5)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String path) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(5))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + admin.localAddress().getPort() + path);
    }

    @Test
    void statusCountsResponsesByClassPerServerAndKeepsCumulativeLatencyBuckets() throws Exception {
        // Other tests here record through the same metrics: compare against a first reading.
        JsonNode before = JSON.readTree(get("/api/status").body());
        metrics.requestCompleted("status-test", "api", "api-1", 200, 3_000_000, 2_000_000);
        metrics.requestCompleted("status-test", "api", "api-1", 503, 40_000_000, 39_000_000);
        metrics.requestCompleted("status-test", "-", "-", 404, 100_000, -1);
        JsonNode after = JSON.readTree(get("/api/status").body());

        JsonNode api1 = after.get("pools").get(1).get("servers").get(0).get("responses");
        JsonNode api1Before = before.get("pools").get(1).get("servers").get(0).get("responses");
        assertThat(api1.get("2xx").asLong() - api1Before.get("2xx").asLong()).isEqualTo(1);
        assertThat(api1.get("5xx").asLong() - api1Before.get("5xx").asLong()).isEqualTo(1);
        assertThat(api1.get("4xx").asLong() - api1Before.get("4xx").asLong()).isZero();
        JsonNode traffic = after.get("traffic").get("responses");
        JsonNode trafficBefore = before.get("traffic").get("responses");
        assertThat(traffic.get("4xx").asLong() - trafficBefore.get("4xx").asLong()).isEqualTo(1);
        assertThat(traffic.get("2xx").asLong() - trafficBefore.get("2xx").asLong()).isEqualTo(1);
        JsonNode latency = after.get("traffic").get("latency_seconds");
        JsonNode latencyBefore = before.get("traffic").get("latency_seconds");
        assertThat(latency.get("count").asLong() - latencyBefore.get("count").asLong()).isEqualTo(3);
        // Cumulative: 0.1 ms is under 1 ms, 3 ms under 5 ms, 40 ms under 50 ms.
        assertThat(bucket(latency, 0.001) - bucket(latencyBefore, 0.001)).isEqualTo(1);
        assertThat(bucket(latency, 0.005) - bucket(latencyBefore, 0.005)).isEqualTo(2);
        assertThat(bucket(latency, 0.025) - bucket(latencyBefore, 0.025)).isEqualTo(2);
        assertThat(bucket(latency, 0.05) - bucket(latencyBefore, 0.05)).isEqualTo(3);
        assertThat(bucket(latency, 60) - bucket(latencyBefore, 60)).isEqualTo(3);
    }

    private static long bucket(JsonNode latency, double le) {
        for (JsonNode b : latency.get("buckets")) {
            if (b.get(0).asDouble() == le) {
                return b.get(1).asLong();
            }
        }
        throw new AssertionError("no bucket le=" + le + " in " + latency);
    }

    @Test
    void statusHasTheShapeOutsideChecksRelyOn() throws Exception {
        HttpResponse<String> res = get("/api/status");
        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(res.headers().firstValue("content-type")).hasValue("application/json");
        JsonNode root = JSON.readTree(res.body());
        JsonNode web = root.get("pools").get(0);
        assertThat(web.get("name").asText()).isEqualTo("web");
        assertThat(web.get("algorithm").asText()).isEqualTo("round-robin");
        JsonNode web1 = web.get("servers").get(0);
        assertThat(web1.get("name").asText()).isEqualTo("web-1");
        assertThat(web1.get("address").asText()).isEqualTo("127.0.0.1:8081");
        assertThat(web1.get("state").asText()).isEqualTo("up");
        assertThat(web1.get("backup").isBoolean()).isTrue();
        assertThat(web1.get("backup").asBoolean()).isFalse();
        assertThat(web1.get("weight").isInt()).isTrue();
        assertThat(web1.get("weight").asInt()).isEqualTo(1);
        assertThat(web1.get("effective_weight").isIntegralNumber()).isTrue();
        assertThat(web1.get("effective_weight").asInt()).isEqualTo(1);
        for (String counter : new String[] {"in_flight", "requests", "failures"}) {
            assertThat(web1.get(counter).isIntegralNumber()).as(counter).isTrue();
        }
        assertThat(web.get("servers").get(1).get("weight").asInt()).isEqualTo(2);
        assertThat(web.get("servers").get(2).get("backup").asBoolean()).isTrue();
        assertThat(root.get("pools").get(1).get("name").asText()).isEqualTo("api");
        assertThat(root.get("pools").get(1).get("algorithm").asText()).isEqualTo("least-connections");
    }

    @Test
    void eventsAreNumberedAndListedAfterTheNumberAsked() throws Exception {
        long before = JSON.readTree(get("/api/events").body()).get("latest").asLong();
        post("/api/pools/web/servers/web-1/drain");
        post("/api/pools/web/servers/web-1/enable");

        HttpResponse<String> res = get("/api/events?after=" + before);
        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(res.headers().firstValue("content-type")).hasValue("application/json");
        JsonNode page = JSON.readTree(res.body());
        assertThat(page.get("latest").asLong()).isEqualTo(before + 2);
        assertThat(java.time.Instant.parse(page.get("started").asText())).isBeforeOrEqualTo(java.time.Instant.now());
        JsonNode events = page.get("events");
        assertThat(events).hasSize(2);
        assertThat(events.get(0).get("seq").asLong()).isEqualTo(before + 1);
        assertThat(events.get(0).get("kind").asText()).isEqualTo("server");
        assertThat(events.get(0).get("subject").asText()).isEqualTo("web/web-1");
        assertThat(events.get(0).get("message").asText()).isEqualTo("is DRAINING (operator)");
        assertThat(java.time.Instant.parse(events.get(0).get("at").asText())).isBeforeOrEqualTo(java.time.Instant.now());
        assertThat(events.get(1).get("seq").asLong()).isEqualTo(before + 2);
        assertThat(events.get(1).get("message").asText()).isEqualTo("is ENABLED again (operator)");
        assertThat(JSON.readTree(get("/api/events?after=" + (before + 2)).body()).get("events")).isEmpty();
    }

    @Test
    void eventsAfterSomethingNotANumberIsABadRequest() throws Exception {
        HttpResponse<String> res = get("/api/events?after=soon");
        assertThat(res.statusCode()).isEqualTo(400);
        assertThat(res.body()).isEqualTo("bad request: after=soon is not an event number (0 or more)\n");
    }

    @Test
    void statusCountsRequestsAndFailures() throws Exception {
        var server = upstreams.pool("api").server("api-1");
        server.requestStarted();
        server.requestStarted();
        server.requestFinished(200, false, 1_000_000);
        server.requestStarted();
        server.requestFailed(FailureKind.CONNECTION_RESET, 1_000_000);
        JsonNode api1 = JSON.readTree(get("/api/status").body()).get("pools").get(1).get("servers").get(0);
        assertThat(api1.get("requests").asLong()).isEqualTo(2);
        assertThat(api1.get("failures").asLong()).isEqualTo(1);
        assertThat(api1.get("in_flight").asInt()).isEqualTo(1);
        server.requestFinished(200, false, 1_000_000);
    }

    @Test
    void drainAndEnableOverHttp() throws Exception {
        HttpResponse<String> drained = post("/api/pools/web/servers/web-2/drain");
        assertThat(drained.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(drained.body()).get("state").asText()).isEqualTo("draining");
        assertThat(upstreams.pool("web").server("web-2").state()).isEqualTo(ServerState.DRAINING);
        assertThat(JSON.readTree(get("/api/status").body()).get("pools").get(0).get("servers").get(1).get("state").asText())
                .isEqualTo("draining");

        HttpResponse<String> enabled = post("/api/pools/web/servers/web-2/enable");
        assertThat(enabled.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(enabled.body()).get("state").asText()).isEqualTo("up");
        assertThat(upstreams.pool("web").server("web-2").state()).isEqualTo(ServerState.UP);
    }

    @Test
    void unknownPoolOrServerIs404WithAReason() throws Exception {
        HttpResponse<String> noPool = post("/api/pools/nope/servers/web-1/drain");
        assertThat(noPool.statusCode()).isEqualTo(404);
        assertThat(noPool.body()).isEqualTo("no such pool: nope\n");
        HttpResponse<String> noServer = post("/api/pools/web/servers/web-9/enable");
        assertThat(noServer.statusCode()).isEqualTo(404);
        assertThat(noServer.body()).isEqualTo("no such server in pool web: web-9\n");
        assertThat(post("/api/pools/web/servers/web-1/restart").statusCode()).isEqualTo(404);
    }

    @Test
    void wrongMethodIs405WithAllow() throws Exception {
        HttpResponse<String> getDrain = get("/api/pools/web/servers/web-1/drain");
        assertThat(getDrain.statusCode()).isEqualTo(405);
        assertThat(getDrain.headers().firstValue("allow")).hasValue("POST");
        assertThat(getDrain.body()).isEqualTo("method GET not allowed here; use POST\n");
        assertThat(upstreams.pool("web").server("web-1").state()).isEqualTo(ServerState.UP);

        HttpResponse<String> postStatus = post("/api/status");
        assertThat(postStatus.statusCode()).isEqualTo(405);
        assertThat(postStatus.headers().firstValue("allow")).hasValue("GET");
        assertThat(post("/metrics").statusCode()).isEqualTo(405);
    }

    @Test
    void unknownPathIs404WithOneLine() throws Exception {
        HttpResponse<String> res = get("/nope");
        assertThat(res.statusCode()).isEqualTo(404);
        assertThat(res.body()).startsWith("not found: /nope").endsWith("\n");
        assertThat(res.body().lines()).hasSize(1);
    }

    @Test
    void metricsArePrometheusTextWithBalancerNames() throws Exception {
        metrics.requestCompleted("public", "web", "web-1", 200, 2_000_000, 1_000_000);
        metrics.requestCompleted("public", "web", "web-1", 503, 2_000_000, 1_000_000);
        metrics.requestCompleted("public", BalancerMetrics.NONE, BalancerMetrics.NONE, 404, 100_000, -1);
        metrics.noServer("public", "web");
        metrics.retried("web", "web-1", FailureKind.CONNECT_REFUSED.label());
        metrics.clientConnectionOpened("public");
        metrics.upstreamConnectionOpened("web", "web-1");
        HttpResponse<String> res = get("/metrics");
        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(res.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
        assertThat(res.body())
                .contains("balancer_requests_total{listener=\"public\",pool=\"web\",server=\"web-1\",status_class=\"2xx\"} 1.0")
                .contains("balancer_requests_total{listener=\"public\",pool=\"web\",server=\"web-1\",status_class=\"5xx\"} 1.0")
                .contains("balancer_requests_total{listener=\"public\",pool=\"-\",server=\"-\",status_class=\"4xx\"} 1.0")
                .contains("balancer_request_duration_seconds_bucket{")
                .contains("balancer_upstream_duration_seconds_bucket{")
                .contains("balancer_requests_in_flight{pool=\"web\",server=\"web-1\"}")
                .contains("balancer_client_connections{listener=\"public\"} 1.0")
                .contains("balancer_upstream_connections{pool=\"web\",server=\"web-1\"} 1.0")
                .contains("balancer_server_up{pool=\"web\",server=\"web-1\"} 1.0")
                .contains("balancer_server_state{pool=\"web\",server=\"web-1\",state=\"up\"} 1.0")
                .contains("balancer_retries_total{pool=\"web\",reason=\"connect-refused\",server=\"web-1\"} 1.0")
                .contains("balancer_no_server_total{listener=\"public\",pool=\"web\"} 1.0")
                .as("event counters exist at 0 from the start")
                .contains("balancer_ejections_total{pool=\"web\",server=\"web-2\"} 0.0")
                .contains("balancer_retries_total{pool=\"api\",reason=\"connection-reset\",server=\"api-1\"} 0.0");
        metrics.clientConnectionClosed("public");
        metrics.upstreamConnectionClosed("web", "web-1");
    }

    @Test
    void dashboardIsServedAtTheRoot() throws Exception {
        HttpResponse<String> res = get("/");
        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(res.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
        assertThat(res.body()).contains("<title>foobar balancer</title>").contains("api/status").contains("api/events?after=")
                .contains("setInterval(refresh, 1000)");
    }

    @Test
    void aTakenAddressFailsWithAClearError() {
        HostPort taken = new HostPort("127.0.0.1", admin.localAddress().getPort());
        assertThatThrownBy(() -> AdminServer.start(new AdminConfig(taken), upstreams, metrics, group))
                .isInstanceOf(AdminBindException.class)
                .hasMessage("admin.bind: cannot listen on 127.0.0.1:" + taken.port() + ": address already in use");
    }

    @Test
    void closeIsIdempotentAndQuietAfterTheLoopsStopped() throws Exception {
        EventLoopGroup own = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        AdminServer second = AdminServer.start(new AdminConfig(new HostPort("127.0.0.1", 0)), upstreams, metrics, own);
        int port = second.localAddress().getPort();
        second.close();
        second.close();
        assertThatThrownBy(() -> CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/status"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(java.io.IOException.class);
        AdminServer third = AdminServer.start(new AdminConfig(new HostPort("127.0.0.1", 0)), upstreams, metrics, own);
        own.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        third.close();
    }
}
