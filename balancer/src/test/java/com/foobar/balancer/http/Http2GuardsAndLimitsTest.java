package com.foobar.balancer.http;

import com.foobar.balancer.testing.H2Client;
import com.foobar.balancer.testing.TestBackend;
import io.netty.handler.codec.http2.Http2FrameStream;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2SettingsFrame;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The listener's size limits and firewall guards hold for HTTP/2 streams as for HTTP/1.1 requests. */
class Http2GuardsAndLimitsTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private static TestBackend web;
    private int before;

    /** Shared, so the local CA and certificate are made once and reused by each balancer of the class. */
    @TempDir
    static Path dir;

    @BeforeAll
    static void startBackend() throws Exception {
        web = TestBackend.start("web-1");
    }

    @AfterAll
    static void stopBackend() {
        web.close();
    }

    @BeforeEach
    void count() {
        before = web.requests();
    }

    private GuardedBalancer start(String listenerExtra) throws Exception {
        return GuardedBalancer.start("data_dir: \"" + dir.resolve("data") + "\"\n"
                + "listeners:\n"
                + "  - name: https\n"
                + "    bind: 127.0.0.1:0\n"
                + "    default_pool: web\n"
                + "    tls: { auto: [localhost] }\n"
                + listenerExtra
                + "pools:\n"
                + "  web:\n"
                + "    servers: [ { name: web-1, address: \"" + web.address() + "\" } ]\n"
                + "admin: { bind: 127.0.0.1:0 }\n"
                + "access_log: off\n");
    }

    private H2Client connect(GuardedBalancer b) throws Exception {
        return H2Client.connect(b.address("https"), dir.resolve("data/tls/ca.pem"), true);
    }

    @Test
    void theServerAnnouncesTheListenersHttp2SettingsAndHeaderLimit() throws Exception {
        try (GuardedBalancer b = start(""); H2Client c = connect(b)) {
            Http2Settings s = c.awaitFrame(Http2SettingsFrame.class, 0, WAIT).settings();
            assertThat(s.maxConcurrentStreams()).isEqualTo(100);
            assertThat(s.initialWindowSize()).isEqualTo(65_535);
            assertThat(s.maxHeaderListSize()).isEqualTo(16_384);
        }
        try (GuardedBalancer b = start("    max_header_size: 8k\n"
                + "    http2: { max_concurrent_streams: 7, initial_window_size: 1m }\n"); H2Client c = connect(b)) {
            Http2Settings s = c.awaitFrame(Http2SettingsFrame.class, 0, WAIT).settings();
            assertThat(s.maxConcurrentStreams()).isEqualTo(7);
            assertThat(s.initialWindowSize()).isEqualTo(1 << 20);
            assertThat(s.maxHeaderListSize()).isEqualTo(8192);
            // A body as large as the window flows without waiting for window updates, and arrives whole.
            Http2FrameStream post = c.open(c.headers("POST", "/consume"), false);
            c.data(post, "w".repeat(900_000), true);
            H2Client.Response r = c.response(post.id(), WAIT);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).startsWith("bytes=900000 ");
        }
    }

    @Test
    void aHeaderListOverMaxHeaderSizeGets431OnItsStreamAndTheConnectionGoesOn() throws Exception {
        try (GuardedBalancer b = start("    max_header_size: 4k\n"); H2Client c = connect(b)) {
            Http2FrameStream big = c.open(c.headers("GET", "/big").add("x-big", "b".repeat(4500)), true);
            assertThat(c.response(big.id(), WAIT).status()).isEqualTo(431);
            Http2FrameStream ok = c.open(c.headers("GET", "/ok").add("x-fits", "f".repeat(3000)), true);
            assertThat(c.response(ok.id(), WAIT).status()).isEqualTo(200);
        }
        assertThat(web.requests()).isEqualTo(before + 1);
    }

    @Test
    void aPathOverMaxRequestLineGets414() throws Exception {
        try (GuardedBalancer b = start("    max_request_line: 1k\n"); H2Client c = connect(b)) {
            Http2FrameStream tooLong = c.get("/" + "a".repeat(1100));
            H2Client.Response r = c.response(tooLong.id(), WAIT);
            assertThat(r.status()).isEqualTo(414);
            assertThat(r.body()).contains("1101").contains("1024");
            assertThat(c.response(c.get("/" + "a".repeat(900)).id(), WAIT).status()).isEqualTo(200);
            assertThat(b.sample("balancer_requests_rejected_total{listener=\"https\",status=\"414\"}")).isEqualTo(1);
        }
        assertThat(web.requests()).isEqualTo(before + 1);
    }

    @Test
    void aBodyOverMaxBodySizeGets413FromContentLengthAndWhenItsDataPassesTheLimit() throws Exception {
        try (GuardedBalancer b = start("    max_body_size: 1k\n"); H2Client c = connect(b)) {
            Http2FrameStream declared = c.open(c.headers("POST", "/consume").add("content-length", "2000"), false);
            H2Client.Response r = c.response(declared.id(), WAIT);
            assertThat(r.status()).isEqualTo(413);
            assertThat(r.body()).contains("2000");

            Http2FrameStream streamed = c.open(c.headers("POST", "/consume"), false);
            c.data(streamed, "d".repeat(600), false);
            c.data(streamed, "d".repeat(600), true);
            assertThat(c.response(streamed.id(), WAIT).status()).isEqualTo(413);

            Http2FrameStream fits = c.open(c.headers("POST", "/consume"), false);
            c.data(fits, "d".repeat(600), false);
            c.data(fits, "d".repeat(424), true);
            H2Client.Response ok = c.response(fits.id(), WAIT);
            assertThat(ok.status()).isEqualTo(200);
            assertThat(ok.body()).startsWith("bytes=1024 ");
        }
        assertThat(web.requests()).isEqualTo(before + 1);
    }

    @Test
    void theRateLimitAnswersEachStreamOverIt429WithRetryAfter() throws Exception {
        try (GuardedBalancer b = start("    rate_limit: { requests_per_second: 0.5, burst: 2, key: source-ip }\n");
             H2Client c = connect(b)) {
            List<Integer> statuses = new ArrayList<>();
            H2Client.Response refused = null;
            for (int i = 0; i < 4; i++) {
                H2Client.Response r = c.response(c.get("/n" + i).id(), WAIT);
                statuses.add(r.status());
                if (r.status() == 429) {
                    refused = r;
                }
            }
            assertThat(statuses).containsExactly(200, 200, 429, 429);
            assertThat(H2Client.header(refused, "retry-after")).isIn("1", "2");
            assertThat(refused.body()).contains("rate limit");
            // A refused stream is one request: the connection stays.
            assertThat(c.isOpen()).isTrue();
            assertThat(b.sample("balancer_rate_limited_total{listener=\"https\"}")).isEqualTo(2.0);
        }
        assertThat(web.requests()).isEqualTo(before + 2);
    }

    @Test
    void forwardingHeadersOnAStreamFromAnUntrustedClientAreReplaced() throws Exception {
        try (GuardedBalancer b = start("    trusted_proxies: [10.0.0.0/8]\n"); H2Client c = connect(b)) {
            Http2Headers h = c.headers("GET", "/x").add("x-forwarded-for", "203.0.113.7")
                    .add("x-forwarded-proto", "http").add("forwarded", "for=203.0.113.7")
                    .add("x-real-ip", "203.0.113.7");
            assertThat(c.response(c.open(h, true).id(), WAIT).status()).isEqualTo(200);
        }
        TestBackend.Recorded seen = web.lastRequest();
        assertThat(seen.header("x-forwarded-for")).isEqualTo("127.0.0.1");
        assertThat(seen.header("x-forwarded-proto")).isEqualTo("https");
        assertThat(seen.headerNames()).doesNotContain("forwarded", "x-real-ip");
    }

    @Test
    void theConnectionLimitCountsTheTcpConnectionNotItsStreams() throws Exception {
        try (GuardedBalancer b = start("    max_connections_per_ip: 1\n"); H2Client c = connect(b)) {
            List<Http2FrameStream> streams = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                streams.add(c.get("/delay?ms=300&n=" + i));
            }
            for (Http2FrameStream s : streams) {
                assertThat(c.response(s.id(), WAIT).status()).isEqualTo(200);
            }
            // A second connection from the same address is over the limit, whatever it would have sent.
            assertThatThrownBy(() -> connect(b).close()).isInstanceOf(Exception.class);
            await().atMost(WAIT).until(() -> b.sample(
                    "balancer_connections_refused_total{listener=\"https\",reason=\"per-ip-limit\"}") == 1.0);
        }
    }

    @Test
    void anAddressOutsideTheAllowListCannotOpenAnH2Connection() throws Exception {
        try (GuardedBalancer b = start("    allow: [10.0.0.0/8]\n")) {
            assertThatThrownBy(() -> connect(b).close()).isInstanceOf(Exception.class);
            await().atMost(WAIT).until(() -> b.sample(
                    "balancer_connections_refused_total{listener=\"https\",reason=\"acl\"}") == 1.0);
        }
        assertThat(web.requests()).isEqualTo(before);
    }
}
