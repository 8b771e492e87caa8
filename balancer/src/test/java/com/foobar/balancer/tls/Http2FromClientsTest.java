package com.foobar.balancer.tls;

import com.foobar.balancer.http.GuardedBalancer;
import com.foobar.balancer.testing.H2Client;
import com.foobar.balancer.testing.TestBackend;
import com.foobar.balancer.testing.TestTls;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class Http2FromClientsTest {

    private static TestBackend web;

    @TempDir
    Path dir;

    @BeforeAll
    static void startBackend() throws Exception {
        web = TestBackend.start("web-1");
    }

    @AfterAll
    static void stopBackend() {
        web.close();
    }

    private String yaml(String alpn) {
        return "data_dir: \"" + dir.resolve("data") + "\"\n"
                + "listeners:\n"
                + "  - name: https\n"
                + "    bind: 127.0.0.1:0\n"
                + "    default_pool: web\n"
                + "    tls:\n"
                + "      auto: [localhost]\n"
                + alpn
                + "pools:\n"
                + "  web:\n"
                + "    servers: [ { name: web-1, address: \"" + web.address() + "\" } ]\n"
                + "admin: { bind: 127.0.0.1:0 }\n"
                + "access_log: off\n";
    }

    private HttpClient client() throws Exception {
        SSLContext trusting = TestTls.trusting(dir.resolve("data/tls/ca.pem"));
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).sslContext(trusting)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    private static URI uri(InetSocketAddress a, String path) {
        return URI.create("https://localhost:" + a.getPort() + path);
    }

    @Test
    void h2IsNegotiatedAndStreamsAreProxiedToTheHttp11Server() throws Exception {
        try (GuardedBalancer b = GuardedBalancer.start(yaml(""))) {
            InetSocketAddress a = b.address("https");
            HttpClient client = client();
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri(a, "/hello"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("hello from web-1\n");
            assertThat(r.headers().firstValue("x-backend")).hasValue("web-1");
            assertThat(r.headers().map().keySet()).doesNotContain("connection", "keep-alive", "transfer-encoding");
            assertThat(web.lastRequest().header("x-forwarded-proto")).isEqualTo("https");
            assertThat(web.lastRequest().header("host")).isEqualTo("localhost:" + a.getPort());
        }
    }

    @Test
    void concurrentStreamsOnOneConnectionAllSucceed() throws Exception {
        try (GuardedBalancer b = GuardedBalancer.start(yaml(""))) {
            InetSocketAddress a = b.address("https");
            HttpClient client = client();
            // The first request opens the one connection the others then share.
            assertThat(client.send(HttpRequest.newBuilder(uri(a, "/")).build(),
                    HttpResponse.BodyHandlers.ofString()).version()).isEqualTo(HttpClient.Version.HTTP_2);
            int before = web.connectionsAccepted();
            List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                all.add(client.sendAsync(HttpRequest.newBuilder(uri(a, "/delay?ms=1000&n=" + i))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()));
            }
            // Every stream is a request in flight to the server while the server holds its answer.
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> b.sample("balancer_requests_in_flight{") == all.size());
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(5)).until(() -> b.sample("balancer_requests_in_flight{") == 0);
            for (CompletableFuture<HttpResponse<String>> f : all) {
                HttpResponse<String> r = f.get();
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
                assertThat(r.headers().firstValue("x-backend")).hasValue("web-1");
            }
            // Concurrent streams became concurrent upstream requests, each on its own backend connection.
            assertThat(web.connectionsAccepted() - before).isGreaterThan(1);
            // One TCP connection from the client, however many streams it carried.
            assertThat(b.sample("balancer_client_connections_opened_total{listener=\"https\"")).isEqualTo(1);
            assertThat(b.sample("balancer_client_connections{listener=\"https\"")).isEqualTo(1);
            assertThat(b.sample("balancer_http2_streams_total{listener=\"https\"")).isEqualTo(all.size() + 1);
        }
    }

    @Test
    void aPostBodyStreamsThroughBothWays() throws Exception {
        try (GuardedBalancer b = GuardedBalancer.start(yaml(""))) {
            InetSocketAddress a = b.address("https");
            byte[] body = new byte[1024 * 1024 + 7];
            new Random(7).nextBytes(body);
            HttpResponse<byte[]> r = client().send(HttpRequest.newBuilder(uri(a, "/echo"))
                    .timeout(Duration.ofSeconds(20))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().map().keySet()).doesNotContain("transfer-encoding", "connection");
            assertThat(r.body()).isEqualTo(body);
            assertThat(web.lastRequest().method()).isEqualTo("POST");
        }
    }

    @Test
    void withoutH2InAlpnTheSameClientGetsHttp11() throws Exception {
        try (GuardedBalancer b = GuardedBalancer.start(yaml("      alpn: [http/1.1]\n"))) {
            assertThat(b.guards().tls("https").alpn()).containsExactly("http/1.1");
            HttpResponse<String> r = client().send(HttpRequest.newBuilder(uri(b.address("https"), "/hello"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("hello from web-1\n");
        }
    }

    @Test
    void earlyHintsReachAnH2ClientAsAnInterimHeadersFrame() throws Exception {
        try (GuardedBalancer b = GuardedBalancer.start(yaml(""));
             H2Client c = H2Client.connect(b.address("https"), dir.resolve("data/tls/ca.pem"), true)) {
            int stream = c.get("/early-hints").id();

            H2Client.Response answer = c.response(stream, Duration.ofSeconds(10));
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.body()).isEqualTo("hello from web-1\n");
            assertThat(c.interim(stream)).singleElement().satisfies(h -> {
                assertThat(h.status().toString()).isEqualTo("103");
                assertThat(h.get("link").toString()).isEqualTo(TestBackend.EARLY_HINT);
                assertThat(h.contains("x-hint")).isFalse();
            });
        }
    }
}
