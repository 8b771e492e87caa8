package com.foobar.balancer.proxy;

import com.foobar.balancer.Balancer;
import com.foobar.balancer.config.ConfigLoader;
import com.foobar.balancer.testing.BalancerYaml;
import com.foobar.balancer.testing.Patterns;
import com.foobar.balancer.testing.RawHttp;
import com.foobar.balancer.testing.TestBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.zip.CRC32;

import static org.assertj.core.api.Assertions.assertThat;

class StreamingAndPipeliningTest {

    static TestBackend backend;
    static Balancer balancer;
    static InetSocketAddress address;
    static final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        backend = TestBackend.start("web-1");
        balancer = Balancer.start(ConfigLoader.parse(BalancerYaml.create().defaultPool("web")
                .pool("web", null, backend).build()), null);
        address = balancer.listenerAddress("public");
    }

    @AfterAll
    static void stop() {
        balancer.close();
        backend.close();
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + address.getPort() + path);
    }

    @Test
    void streamsAChunkedRequestBodyAndAChunkedResponse() throws Exception {
        long n = 3 * 1024 * 1024 + 17;
        // ofInputStream has no known length, so HttpClient sends it chunked.
        HttpResponse<InputStream> r = client.send(HttpRequest.newBuilder(uri("/echo"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> Patterns.stream(n))).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("transfer-encoding")).hasValue("chunked");
        CRC32 crc = new CRC32();
        long count = 0;
        try (InputStream in = r.body()) {
            byte[] buf = new byte[65536];
            int k;
            while ((k = in.read(buf)) != -1) {
                crc.update(buf, 0, k);
                count += k;
            }
        }
        assertThat(count).isEqualTo(n);
        assertThat(crc.getValue()).isEqualTo(Patterns.crc32(n));
    }

    @Test
    void aBodylessMethodWithTransferEncodingIsAnsweredAndItsConnectionClosed() throws Exception {
        for (String method : new String[] {"GET", "HEAD", "DELETE", "OPTIONS"}) {
            try (RawHttp raw = new RawHttp(address, 5_000)) {
                // A second request pipelined behind it: it must never be read as one.
                RawHttp.Response r = raw.send(method + " /headers HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked"
                        + "\r\n\r\n5\r\nhello\r\n0\r\n\r\nGET /status?code=204 HTTP/1.1\r\nHost: x\r\n\r\n")
                        .read(method.equals("HEAD"));
                assertThat(r.status()).as(method).isEqualTo(200);
                assertThat(r.header("connection")).as(method).isEqualTo("close");
                assertThat(raw.closedByPeer()).as(method + ": closed after the response").isTrue();
            }
        }
        // With a method that defines a body, the same framing keeps the connection.
        try (RawHttp raw = new RawHttp(address, 5_000)) {
            RawHttp.Response r = raw.send("POST /consume HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5\r\nhello\r\n0\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("connection")).isNull();
            assertThat(raw.send("GET /status?code=204 HTTP/1.1\r\nHost: x\r\n\r\n").read().status()).isEqualTo(204);
        }
    }

    @Test
    void rawChunkedRequestIsReframedAndCountedByTheServer() throws Exception {
        try (RawHttp raw = new RawHttp(address, 5_000)) {
            RawHttp.Response r = raw.send("POST /consume HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5\r\nhello\r\n7\r\n, world\r\n0\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(200);
            CRC32 crc = new CRC32();
            crc.update("hello, world".getBytes());
            assertThat(r.bodyText()).isEqualTo("bytes=12 crc32=" + crc.getValue());
            assertThat(backend.lastRequest().header("transfer-encoding")).isEqualTo("chunked");
        }
    }

    @Test
    void answers100ContinueThenForwardsTheBody() throws Exception {
        try (RawHttp raw = new RawHttp(address, 5_000)) {
            raw.send("PUT /consume HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
            RawHttp.Response interim = raw.read();
            assertThat(interim.status()).isEqualTo(100);
            RawHttp.Response r = raw.send("abcde").read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.bodyText()).startsWith("bytes=5 ");
            assertThat(backend.lastRequest().header("expect")).isNull();
        }
    }

    @Test
    void httpClientExpectContinueUploadWorks() throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri("/consume")).expectContinue(true)
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[100_000])).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).startsWith("bytes=100000 ");
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        try (RawHttp raw = new RawHttp(address, 5_000)) {
            raw.send("GET /delay?ms=150 HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "POST /consume HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"
                    + "HEAD /stream?bytes=10 HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /status?code=201 HTTP/1.1\r\nHost: x\r\n\r\n");
            RawHttp.Response first = raw.read();
            assertThat(first.bodyText()).startsWith("delayed 150ms");
            RawHttp.Response second = raw.read();
            assertThat(second.bodyText()).startsWith("bytes=3 ");
            RawHttp.Response third = raw.read(true);
            assertThat(third.status()).isEqualTo(200);
            assertThat(third.header("content-length")).isEqualTo("10");
            RawHttp.Response fourth = raw.read();
            assertThat(fourth.status()).isEqualTo(201);
        }
    }

    @Test
    void http10ClientGetsAClosedConnectionInsteadOfChunks() throws Exception {
        try (RawHttp raw = new RawHttp(address, 5_000)) {
            RawHttp.Response r = raw.send("GET /stream?bytes=1000&chunked=true HTTP/1.0\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("transfer-encoding")).isNull();
            assertThat(r.body()).hasSize(1000);
        }
    }

    @Test
    void http10KeepAliveIsHonouredWhenTheLengthIsKnown() throws Exception {
        try (RawHttp raw = new RawHttp(address, 5_000)) {
            RawHttp.Response r = raw.send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").read();
            assertThat(r.header("connection")).isEqualToIgnoringCase("keep-alive");
            assertThat(raw.send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").read().status())
                    .isEqualTo(200);
        }
    }

    @Test
    void malformedRequestGets400AndClose() throws Exception {
        try (RawHttp raw = new RawHttp(address, 5_000)) {
            RawHttp.Response r = raw.send("GET / HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.header("connection")).isEqualTo("close");
        }
    }

    @Test
    void reusesUpstreamConnectionsAcrossClientRequests() throws Exception {
        int before = backend.connectionsAccepted();
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri("/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
        }
        assertThat(backend.connectionsAccepted() - before).isLessThanOrEqualTo(2);
    }

    // ---- interim responses (1xx): HTTP/2 clients get them in Http2FromClientsTest

    @Test
    void earlyHintsReachAnHttp11ClientBeforeTheResponseWithoutHopByHopHeaders() throws Exception {
        try (RawHttp raw = new RawHttp(address, 5_000)) {
            raw.send("GET /early-hints HTTP/1.1\r\nHost: www.foobar.com\r\n\r\n");

            RawHttp.Response hints = raw.read();
            assertThat(hints.status()).isEqualTo(103);
            assertThat(hints.header("link")).isEqualTo(TestBackend.EARLY_HINT);
            assertThat(hints.header("x-hint")).as("named by the server's Connection header").isNull();
            assertThat(hints.header("connection")).isNull();
            assertThat(hints.body()).isEmpty();
            RawHttp.Response answer = raw.read();
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.bodyText()).isEqualTo("hello from web-1\n");

            // The connection goes on: the interim response was framed as one.
            assertThat(raw.send("GET /status?code=204 HTTP/1.1\r\nHost: www.foobar.com\r\n\r\n").read().status())
                    .isEqualTo(204);
        }
    }

    @Test
    void anHttp10ClientGetsNoInterimResponse() throws Exception {
        try (RawHttp raw = new RawHttp(address, 5_000)) {
            RawHttp.Response answer = raw.send("GET /early-hints HTTP/1.0\r\nHost: www.foobar.com\r\n\r\n").read();
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.bodyText()).isEqualTo("hello from web-1\n");
        }
    }
}
