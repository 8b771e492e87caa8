package com.foobar.balancer.proxy;

import com.foobar.balancer.Balancer;
import com.foobar.balancer.config.ConfigLoader;
import com.foobar.balancer.testing.BalancerYaml;
import com.foobar.balancer.testing.RawHttp;
import com.foobar.balancer.testing.TestBackend;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class BackendConnectionPoolTest {

    @Test
    void idleUpstreamConnectionsAreBoundedPerServerAndClosedAfterTheIdleTimeout() throws Exception {
        try (TestBackend backend = TestBackend.start("web-1");
             Balancer balancer = Balancer.start(ConfigLoader.parse(BalancerYaml.create().defaultPool("web")
                     .pool("web", "    keepalive: { max_idle: 1, idle_timeout: 700ms }\n", backend).build()),
                     null)) {
            InetSocketAddress a = balancer.listenerAddress("public");
            List<RawHttp> clients = new ArrayList<>();
            try {
                // Eight requests in flight at once need eight upstream connections.
                for (int i = 0; i < 8; i++) {
                    clients.add(new RawHttp(a, 5_000).send("GET /delay?ms=400 HTTP/1.1\r\nHost: x\r\n\r\n"));
                }
                for (RawHttp c : clients) {
                    assertThat(c.read().status()).isEqualTo(200);
                }
            } finally {
                for (RawHttp c : clients) {
                    c.close();
                }
            }
            assertThat(backend.connectionsAccepted()).isEqualTo(8);
            // At most max_idle per server per event loop stay open...
            int loops = Runtime.getRuntime().availableProcessors();
            await().atMost(Duration.ofSeconds(5)).until(() -> backend.openConnections() <= loops);
            // ...and those close once idle for idle_timeout.
            await().atMost(Duration.ofSeconds(5)).until(() -> backend.openConnections() == 0);
        }
    }

    @Test
    void aServerClosingItsIdleConnectionIsNoticedAndNotReused() throws Exception {
        try (TestBackend backend = TestBackend.start("web-1");
             Balancer balancer = Balancer.start(ConfigLoader.parse(BalancerYaml.create().defaultPool("web")
                     .pool("web", "    retries: 0\n", backend).build()), null)) {
            HttpClient client = HttpClient.newHttpClient();
            URI uri = URI.create("http://127.0.0.1:" + balancer.listenerAddress("public").getPort() + "/");
            assertThat(client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString())
                    .statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(5)).until(() -> backend.openConnections() == 1);
            backend.dropConnections();
            // Wait until the balancer has seen the close, so the test does not race it.
            await().atMost(Duration.ofSeconds(5)).until(() -> balancer.metrics().scrape().lines()
                    .anyMatch(l -> l.startsWith("balancer_upstream_connections{") && l.contains("server=\"web-1\"")
                            && l.endsWith(" 0.0")));
            // A POST cannot be retried once sent, so it only succeeds if the dead connection is never used.
            List<CompletableFuture<HttpResponse<String>>> posts = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                posts.add(client.sendAsync(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString("x"))
                        .build(), HttpResponse.BodyHandlers.ofString()));
            }
            for (CompletableFuture<HttpResponse<String>> p : posts) {
                assertThat(p.get().statusCode()).isEqualTo(200);
            }
        }
    }
}
