package com.foobar.balancer.http;

import com.foobar.balancer.testing.RawHttp;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RequestGuardsTest extends GuardedListenerFixture {

    @Test
    void redirectToHttpsAnswers308WithTheSameHostAndTarget() throws Exception {
        try (GuardedBalancer b = GuardedBalancer.start(yaml("    redirect_to_https: 8443\n"))) {
            try (RawHttp raw = new RawHttp(b.address("public"), 5_000)) {
                RawHttp.Response r = raw.send("POST /cart/add?id=7 HTTP/1.1\r\nHost: WWW.foobar.com:8080\r\n"
                        + "Content-Length: 3\r\n\r\nabc").read();
                assertThat(r.status()).isEqualTo(308);
                assertThat(r.header("location")).isEqualTo("https://WWW.foobar.com:8443/cart/add?id=7");
                assertThat(raw.closedByPeer()).isTrue();
            }
            try (RawHttp raw = new RawHttp(b.address("public"), 5_000)) {
                RawHttp.Response r = raw.send("GET http://foobar.com/a/b HTTP/1.1\r\nHost: foobar.com\r\n\r\n").read();
                assertThat(r.header("location")).isEqualTo("https://foobar.com:8443/a/b");
            }
        }
        try (GuardedBalancer b = GuardedBalancer.start(yaml("    redirect_to_https: 443\n"));
             RawHttp raw = new RawHttp(b.address("public"), 5_000)) {
            RawHttp.Response r = raw.send("GET / HTTP/1.1\r\nHost: foobar.com\r\n\r\n").read();
            assertThat(r.header("location")).isEqualTo("https://foobar.com/");
        }
        assertThat(web.requests()).isEqualTo(before);
    }

    @Test
    void underscoreHeaderNamesAreAllowedByDefaultDroppedOrRejectedAsConfigured() throws Exception {
        String req = "GET /u HTTP/1.1\r\nHost: foobar.com\r\nX_Auth_User: admin\r\nX-Ok: 1\r\n\r\n";
        try (GuardedBalancer b = GuardedBalancer.start(yaml(""));
             RawHttp raw = new RawHttp(b.address("public"), 5_000)) {
            assertThat(raw.send(req).read().status()).isEqualTo(200);
            assertThat(web.lastRequest().header("x_auth_user")).isEqualTo("admin");
        }
        try (GuardedBalancer b = GuardedBalancer.start(yaml("    headers_with_underscores: drop\n"));
             RawHttp raw = new RawHttp(b.address("public"), 5_000)) {
            assertThat(raw.send(req).read().status()).isEqualTo(200);
            assertThat(web.lastRequest().headerNames()).doesNotContain("x_auth_user").contains("x-ok");
        }
        int beforeReject = web.requests();
        try (GuardedBalancer b = GuardedBalancer.start(yaml("    headers_with_underscores: reject\n"));
             RawHttp raw = new RawHttp(b.address("public"), 5_000)) {
            RawHttp.Response r = raw.send(req).read();
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.bodyText()).contains("X_Auth_User").contains("underscore");
            assertThat(raw.closedByPeer()).isTrue();
            assertThat(b.sample("balancer_requests_rejected_total{listener=\"public\",status=\"400\"}"))
                    .isEqualTo(1.0);
        }
        assertThat(web.requests()).isEqualTo(beforeReject);
    }

    @Test
    void bodyOverMaxBodySizeGets413EarlyFromContentLengthAndNothingReachesAServer() throws Exception {
        try (GuardedBalancer b = GuardedBalancer.start(yaml("    max_body_size: 1k\n"))) {
            try (RawHttp raw = new RawHttp(b.address("public"), 5_000)) {
                // Only the head is sent: the answer must not wait for a body it refuses.
                RawHttp.Response r = raw.send("POST /upload HTTP/1.1\r\nHost: foobar.com\r\nContent-Length: 1025\r\n"
                        + "Expect: 100-continue\r\n\r\n").read();
                assertThat(r.status()).isEqualTo(413);
                assertThat(r.bodyText()).contains("1025").contains("1024");
                assertThat(raw.closedByPeer()).isTrue();
            }
            try (RawHttp raw = new RawHttp(b.address("public"), 5_000)) {
                RawHttp.Response r = raw.send("POST /upload HTTP/1.1\r\nHost: foobar.com\r\nContent-Length: 1024\r\n\r\n"
                        + "x".repeat(1024)).read();
                assertThat(r.status()).isEqualTo(200);
            }
        }
        assertThat(web.requests()).isEqualTo(before + 1);
    }

    private static String chunked(int... sizes) {
        StringBuilder sb = new StringBuilder("POST /consume HTTP/1.1\r\nHost: foobar.com\r\nTransfer-Encoding: chunked\r\n\r\n");
        for (int n : sizes) {
            sb.append(Integer.toHexString(n)).append("\r\n").append("c".repeat(n)).append("\r\n");
        }
        return sb.append("0\r\n\r\n").toString();
    }

    @Test
    void chunkedBodyWithinASmallLimitIsHeldWholeThenForwardedAndOneOverItGets413BeforeAnyByteGoesUp()
            throws Exception {
        try (GuardedBalancer b = GuardedBalancer.start(yaml("    max_body_size: 1k\n"))) {
            try (RawHttp raw = new RawHttp(b.address("public"), 5_000)) {
                RawHttp.Response r = raw.send(chunked(500, 524)).read();
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.bodyText()).startsWith("bytes=1024 ");
            }
            int forwarded = web.requests();
            try (RawHttp raw = new RawHttp(b.address("public"), 5_000)) {
                RawHttp.Response r = raw.send(chunked(500, 525)).read();
                assertThat(r.status()).isEqualTo(413);
                assertThat(r.bodyText()).contains("1024");
                assertThat(raw.closedByPeer()).isTrue();
            }
            assertThat(web.requests()).isEqualTo(forwarded);
        }
    }

    @Test
    void chunkedBodyOverALargeLimitStreamsUntilItPassesItThenGets413AndTheConnectionCloses() throws Exception {
        try (GuardedBalancer b = GuardedBalancer.start(yaml("    max_body_size: 100k\n"));
             RawHttp raw = new RawHttp(b.address("public"), 5_000)) {
            RawHttp.Response r = raw.send(chunked(60_000, 60_000)).read();
            assertThat(r.status()).isEqualTo(413);
            assertThat(r.bodyText()).contains("102400");
            assertThat(raw.closedByPeer()).isTrue();
            assertThat(b.sample("balancer_requests_rejected_total{listener=\"public\",status=\"413\"}")).isEqualTo(1);
        }
    }

    @Test
    void requestLineAndHeaderLimitsAnswer414And431() throws Exception {
        try (GuardedBalancer b = GuardedBalancer.start(yaml("    max_request_line: 1k\n    max_header_size: 2k\n"))) {
            try (RawHttp raw = new RawHttp(b.address("public"), 5_000)) {
                RawHttp.Response r = raw.send("GET /" + "a".repeat(1100) + " HTTP/1.1\r\nHost: foobar.com\r\n\r\n")
                        .read();
                assertThat(r.status()).isEqualTo(414);
                assertThat(raw.closedByPeer()).isTrue();
            }
            try (RawHttp raw = new RawHttp(b.address("public"), 5_000)) {
                RawHttp.Response r = raw.send("GET / HTTP/1.1\r\nHost: foobar.com\r\nX-Big: " + "b".repeat(2100)
                        + "\r\n\r\n").read();
                assertThat(r.status()).isEqualTo(431);
                assertThat(raw.closedByPeer()).isTrue();
            }
            try (RawHttp raw = new RawHttp(b.address("public"), 5_000)) {
                assertThat(raw.send("GET /" + "a".repeat(900) + " HTTP/1.1\r\nHost: foobar.com\r\n\r\n").read()
                        .status()).isEqualTo(200);
            }
        }
        assertThat(web.requests()).isEqualTo(before + 1);
    }
}
