package com.foobar.balancer.firewall;

import com.foobar.balancer.http.GuardedBalancer;
import com.foobar.balancer.http.GuardedListenerFixture;
import com.foobar.balancer.testing.RawHttp;
import com.foobar.balancer.testing.TestBackend;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class FirewallTest extends GuardedListenerFixture {

    private static final String GET = "GET /x HTTP/1.1\r\nHost: www.foobar.com\r\n\r\n";

    @Test
    void deniedAddressIsClosedAtAcceptAndCounted() throws Exception {
        try (GuardedBalancer b = GuardedBalancer.start(yaml("    deny: [127.0.0.0/8]\n"))) {
            assertClosedWithoutAnswer(b.address("public"));
            assertThat(b.sample("balancer_connections_refused_total{listener=\"public\",reason=\"acl\"}"))
                    .isEqualTo(1.0);
            assertThat(b.sample("balancer_client_connections{listener=\"public\"}")).isIn(-1.0, 0.0);
        }
        assertThat(web.requests()).isEqualTo(before);
    }

    @Test
    void addressOutsideAllowListIsClosedAndAnAllowedOnePasses() throws Exception {
        try (GuardedBalancer b = GuardedBalancer.start(yaml("    allow: [10.0.0.0/8, \"2001:db8::/32\"]\n"))) {
            assertClosedWithoutAnswer(b.address("public"));
        }
        try (GuardedBalancer b = GuardedBalancer.start(yaml("    allow: [127.0.0.1/32]\n    deny: [10.0.0.0/8]\n"));
             RawHttp raw = new RawHttp(b.address("public"), 5_000)) {
            assertThat(raw.send(GET).read().status()).isEqualTo(200);
        }
        assertThat(web.requests()).isEqualTo(before + 1);
    }

    @Test
    void connectionsOverThePerIpLimitAreRefusedAndCountedUntilOneCloses() throws Exception {
        try (GuardedBalancer b = GuardedBalancer.start(yaml("    max_connections_per_ip: 2\n"))) {
            InetSocketAddress a = b.address("public");
            RawHttp first = new RawHttp(a, 5_000);
            try (RawHttp second = new RawHttp(a, 5_000)) {
                assertThat(first.send(GET).read().status()).isEqualTo(200);
                assertThat(second.send(GET).read().status()).isEqualTo(200);
                assertClosedWithoutAnswer(a);
                assertThat(b.sample("balancer_connections_refused_total{listener=\"public\",reason=\"per-ip-limit\"}"))
                        .isEqualTo(1.0);
                first.close();
                // The slot comes back when the balancer sees the close.
                await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                    try (RawHttp third = new RawHttp(a, 5_000)) {
                        assertThat(third.send(GET).read().status()).isEqualTo(200);
                    }
                });
                assertThat(second.send(GET).read().status()).isEqualTo(200);
            }
        }
    }

    @Test
    void requestsOverTheRateLimitGet429WithRetryAfterAndNeverReachAServer() throws Exception {
        String limit = "    rate_limit: { requests_per_second: 0.5, burst: 2, key: source-ip }\n";
        try (GuardedBalancer b = GuardedBalancer.start(yaml(limit))) {
            InetSocketAddress a = b.address("public");
            try (RawHttp raw = new RawHttp(a, 5_000)) {
                assertThat(raw.send(GET).read().status()).isEqualTo(200);
                assertThat(raw.send(GET).read().status()).isEqualTo(200);
                RawHttp.Response refused = raw.send(GET).read();
                assertThat(refused.status()).isEqualTo(429);
                assertThat(refused.header("retry-after")).isIn("1", "2");
                assertThat(refused.bodyText()).contains("rate limit");
                assertThat(raw.closedByPeer()).isTrue();
            }
            // A new connection from the same address shares the bucket.
            try (RawHttp raw = new RawHttp(a, 5_000)) {
                assertThat(raw.send(GET).read().status()).isEqualTo(429);
            }
            assertThat(b.sample("balancer_rate_limited_total{listener=\"public\"}")).isEqualTo(2.0);
        }
        assertThat(web.requests()).isEqualTo(before + 2);
    }

    @Test
    void forwardingHeadersFromAnUntrustedClientAreReplaced() throws Exception {
        try (GuardedBalancer b = GuardedBalancer.start(yaml("    trusted_proxies: [10.0.0.0/8]\n"));
             RawHttp raw = new RawHttp(b.address("public"), 5_000)) {
            assertThat(raw.send("GET /x HTTP/1.1\r\nHost: www.foobar.com\r\n"
                    + "X-Forwarded-For: 203.0.113.7\r\nX-Forwarded-Proto: https\r\nX-Forwarded-Host: evil.example\r\n"
                    + "X-Forwarded-Port: 443\r\nX-Forwarded-Prefix: /admin\r\nForwarded: for=203.0.113.7\r\n"
                    + "X-Real-IP: 203.0.113.7\r\n\r\n").read().status()).isEqualTo(200);
        }
        TestBackend.Recorded seen = web.lastRequest();
        assertThat(seen.header("x-forwarded-for")).isEqualTo("127.0.0.1");
        assertThat(seen.header("x-forwarded-proto")).isEqualTo("http");
        assertThat(seen.header("x-forwarded-host")).isEqualTo("www.foobar.com");
        assertThat(seen.headerNames()).doesNotContain("forwarded", "x-real-ip", "x-forwarded-prefix");
    }

    @Test
    void forwardingHeadersFromATrustedProxyAreKept() throws Exception {
        try (GuardedBalancer b = GuardedBalancer.start("trusted_proxies: [127.0.0.1]\n" + yaml(""));
             RawHttp raw = new RawHttp(b.address("public"), 5_000)) {
            assertThat(raw.send("GET /x HTTP/1.1\r\nHost: www.foobar.com\r\n"
                    + "X-Forwarded-For: 203.0.113.7\r\nForwarded: for=203.0.113.7\r\n\r\n").read().status())
                    .isEqualTo(200);
        }
        TestBackend.Recorded seen = web.lastRequest();
        assertThat(seen.header("x-forwarded-for")).isEqualTo("203.0.113.7, 127.0.0.1");
        assertThat(seen.header("forwarded")).isEqualTo("for=203.0.113.7");
    }

    static void assertClosedWithoutAnswer(InetSocketAddress a) throws IOException {
        try (RawHttp raw = new RawHttp(a, 5_000)) {
            try {
                raw.send(GET);
            } catch (IOException e) {
                return; // reset before the request could even be written: closed at accept
            }
            assertThat(raw.closedByPeer()).isTrue();
        }
    }
}
