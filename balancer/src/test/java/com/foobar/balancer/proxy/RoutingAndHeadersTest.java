package com.foobar.balancer.proxy;

import com.foobar.balancer.Balancer;
import com.foobar.balancer.config.ConfigLoader;
import com.foobar.balancer.testing.BalancerYaml;
import com.foobar.balancer.testing.RawHttp;
import com.foobar.balancer.testing.TestBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class RoutingAndHeadersTest {

    static TestBackend web;
    static TestBackend api;
    static TestBackend other;
    static TestBackend lean;
    static Balancer balancer;
    static InetSocketAddress address;
    static final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        web = TestBackend.start("web-1");
        api = TestBackend.start("api-1");
        other = TestBackend.start("other-1");
        lean = TestBackend.start("lean-1");
        String yaml = BalancerYaml.create()
                .route("[www.foobar.com, foobar.com]", "/api/", "api")
                .route("[www.foobar.com, foobar.com]", "/", "web")
                .route("[other.example]", "/only/", "other")
                .route("[lean.example]", "/", "lean")
                .pool("web", null, web)
                .pool("api", null, api)
                .pool("other", null, other)
                .pool("lean", "    proxy_headers: { forwarded: [for], via: false, request_id: false }\n", lean)
                // The test client is the "proxy" in front whose X-Forwarded-For must be kept and appended to.
                .topLevel("trusted_proxies: [127.0.0.1]\n")
                .build();
        balancer = Balancer.start(ConfigLoader.parse(yaml), null);
        address = balancer.listenerAddress("public");
    }

    @AfterAll
    static void stop() {
        balancer.close();
        web.close();
        api.close();
        other.close();
        lean.close();
    }

    private static RawHttp.Response get(String host, String path) throws Exception {
        try (RawHttp raw = new RawHttp(address, 5_000)) {
            return raw.send("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n").read();
        }
    }

    @Test
    void routesByHostIgnoringCaseAndPortThenByPathPrefixFirstMatchWins() throws Exception {
        assertThat(get("WWW.FooBar.com:8080", "/api/users").header("x-backend")).isEqualTo("api-1");
        assertThat(get("foobar.com", "/api").header("x-backend")).isEqualTo("web-1");
        assertThat(get("www.foobar.com", "/").header("x-backend")).isEqualTo("web-1");
        assertThat(get("other.example:80", "/only/x").header("x-backend")).isEqualTo("other-1");
    }

    @Test
    void unknownHostGets421AndKnownHostWithUnknownPathGets404WithReason() throws Exception {
        RawHttp.Response misdirected = get("nobody.example", "/");
        assertThat(misdirected.status()).isEqualTo(421);
        assertThat(misdirected.bodyText()).contains("no route for host \"nobody.example\"");
        RawHttp.Response notFound = get("other.example", "/elsewhere");
        assertThat(notFound.status()).isEqualTo(404);
        assertThat(notFound.bodyText()).contains("no route for path \"/elsewhere\"");
        assertThat(notFound.bodyText().trim()).doesNotContain("\n");
    }

    @Test
    void realHttpClientGetsProxiedResponsesOverKeepAlive() throws Exception {
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + address.getPort() + "/only/x"))
                    .header("X-Request-Id", "abc-" + i).build(), HttpResponse.BodyHandlers.ofString());
            // 127.0.0.1 is no configured host, and only "other" has a route for /only/ on another host: 421.
            assertThat(r.statusCode()).isEqualTo(421);
            assertThat(r.headers().firstValue("x-request-id")).hasValue("abc-" + i);
        }
    }

    @Test
    void errorResponsesKeepTheConnectionForTheNextRequest() throws Exception {
        try (RawHttp raw = new RawHttp(address, 5_000)) {
            assertThat(raw.send("GET / HTTP/1.1\r\nHost: nobody.example\r\n\r\n").read().status()).isEqualTo(421);
            assertThat(raw.send("GET / HTTP/1.1\r\nHost: foobar.com\r\n\r\n").read().status()).isEqualTo(200);
        }
    }

    @Test
    void removesHopByHopHeadersAndAddsForwardingHeaders() throws Exception {
        RawHttp.Response r;
        try (RawHttp raw = new RawHttp(address, 5_000)) {
            r = raw.send("GET /headers HTTP/1.1\r\n"
                    + "Host: www.foobar.com:8443\r\n"
                    + "Connection: keep-alive, X-Secret-Hop\r\n"
                    + "X-Secret-Hop: drop me\r\n"
                    + "Keep-Alive: timeout=5\r\n"
                    + "Proxy-Authorization: Basic Zm9vOmJhcg==\r\n"
                    + "Proxy-Connection: keep-alive\r\n"
                    + "TE: trailers\r\n"
                    + "Trailer: X-Checksum\r\n"
                    + "Upgrade: websocket\r\n"
                    + "X-Forwarded-For: 203.0.113.7\r\n"
                    + "Via: 1.1 cdn-edge\r\n"
                    + "X-End-To-End: keep me\r\n"
                    + "\r\n").read();
        }
        assertThat(r.status()).isEqualTo(200);
        TestBackend.Recorded seen = web.lastRequest();
        assertThat(seen.headerNames()).doesNotContain("connection", "x-secret-hop", "keep-alive",
                "proxy-authorization", "proxy-connection", "te", "trailer", "upgrade", "transfer-encoding");
        assertThat(seen.header("x-end-to-end")).isEqualTo("keep me");
        assertThat(seen.header("x-forwarded-for")).isEqualTo("203.0.113.7, 127.0.0.1");
        assertThat(seen.header("x-forwarded-proto")).isEqualTo("http");
        assertThat(seen.header("x-forwarded-host")).isEqualTo("www.foobar.com:8443");
        assertThat(seen.header("x-forwarded-port")).isEqualTo(Integer.toString(address.getPort()));
        assertThat(seen.header("via")).isEqualTo("1.1 cdn-edge, 1.1 foobar-balancer");
        assertThat(seen.header("host")).isEqualTo("www.foobar.com:8443");
        assertThat(r.header("via")).isEqualTo("1.1 foobar-balancer");
    }

    @Test
    void keepsASaneRequestIdAndReplacesAMissingOrInsaneOne() throws Exception {
        try (RawHttp raw = new RawHttp(address, 5_000)) {
            raw.send("GET / HTTP/1.1\r\nHost: foobar.com\r\nX-Request-Id: 3f2a9c1e-7b4d-4e8a\r\n\r\n").read();
            assertThat(web.lastRequest().header("x-request-id")).isEqualTo("3f2a9c1e-7b4d-4e8a");
            RawHttp.Response r = raw.send("GET / HTTP/1.1\r\nHost: foobar.com\r\n\r\n").read();
            String generated = web.lastRequest().header("x-request-id");
            assertThat(generated).matches("[0-9a-f]{32}");
            assertThat(r.header("x-request-id")).isEqualTo(generated);
            raw.send("GET / HTTP/1.1\r\nHost: foobar.com\r\nX-Request-Id: <script>alert(1)</script>\r\n\r\n").read();
            assertThat(web.lastRequest().header("x-request-id")).matches("[0-9a-f]{32}");
        }
    }

    @Test
    void poolWithLeanProxyHeadersSendsOnlyXForwardedForAndAddsNothingToTheResponse() throws Exception {
        RawHttp.Response r;
        try (RawHttp raw = new RawHttp(address, 5_000)) {
            r = raw.send("GET /x HTTP/1.1\r\nHost: lean.example\r\nX-Request-Id: client-id-1\r\n\r\n").read();
        }
        assertThat(r.status()).isEqualTo(200);
        TestBackend.Recorded seen = lean.lastRequest();
        assertThat(seen.header("x-forwarded-for")).isEqualTo("127.0.0.1");
        assertThat(seen.headerNames()).doesNotContain("x-forwarded-proto", "x-forwarded-host", "x-forwarded-port",
                "via");
        // Off means untouched: the client's own id passes through, and none is made up or echoed.
        assertThat(seen.header("x-request-id")).isEqualTo("client-id-1");
        assertThat(r.header("via")).isNull();
        assertThat(r.header("x-request-id")).isNull();
    }
}
