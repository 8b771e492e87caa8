package com.foobar.balancer.proxy;

import com.foobar.balancer.Balancer;
import com.foobar.balancer.config.ConfigLoader;
import com.foobar.balancer.testing.BalancerYaml;
import com.foobar.balancer.testing.RawHttp;
import com.foobar.balancer.testing.TestBackend;
import com.foobar.balancer.upstream.UpstreamServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class TimeoutsAndErrorsTest {

    static TestBackend web;
    static TestBackend drained;
    static ServerSocket blackhole;
    static final List<Socket> backlogFillers = new ArrayList<>();
    static Balancer balancer;
    static InetSocketAddress address;

    @BeforeAll
    static void start() throws Exception {
        web = TestBackend.start("web-1");
        drained = TestBackend.start("drained-1");
        // A listener that never accepts, its backlog full: new connects to it hang until they time out.
        blackhole = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        for (int i = 0; i < 8; i++) {
            Socket s = new Socket();
            try {
                s.connect(blackhole.getLocalSocketAddress(), 200);
            } catch (java.io.IOException e) {
                // the backlog is full: what we want
            }
            backlogFillers.add(s);
        }
        String yaml = BalancerYaml.create()
                .route(null, "/delay", "slow")
                .route(null, "/blackhole", "blackhole")
                .route(null, "/drained", "drained")
                .defaultPool("web")
                .pool("web", null, web)
                .pool("slow", "    response_timeout: 300ms\n", web)
                .pool("blackhole", "    connect_timeout: 200ms\n    retries: 0\n",
                        "hole=127.0.0.1:" + blackhole.getLocalPort())
                .pool("drained", null, drained)
                .clientTimeouts("400ms", "600ms", "500ms")
                .build();
        balancer = Balancer.start(ConfigLoader.parse(yaml), null);
        address = balancer.listenerAddress("public");
    }

    @AfterAll
    static void stop() throws Exception {
        balancer.close();
        web.close();
        drained.close();
        for (Socket s : backlogFillers) {
            s.close();
        }
        blackhole.close();
    }

    @Test
    void slowlorisGets408AndIsClosed() throws Exception {
        try (RawHttp raw = new RawHttp(address, 5_000)) {
            raw.send("GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ");
            long start = System.nanoTime();
            RawHttp.Response r = raw.read();
            assertThat(r.status()).isEqualTo(408);
            assertThat(r.bodyText()).contains("request headers not received within 400ms");
            assertThat(System.nanoTime() - start).isLessThan(3_000_000_000L);
            assertThat(raw.closedByPeer()).isTrue();
        }
        assertThat(timeouts("header")).isPositive();
    }

    @Test
    void closesAClientThatStopsReadingItsResponseAfterTheSendTimeoutAndCountsIt() throws Exception {
        double before = timeouts("send");
        long bytes = 256L * 1024 * 1024;
        try (Socket s = new Socket()) {
            s.setReceiveBufferSize(4096); // before connect, so the window the client offers stays small
            s.connect(address, 2_000);
            s.getOutputStream().write(("GET /stream?bytes=" + bytes + " HTTP/1.1\r\nHost: x\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            // Reading nothing: the balancer's socket fills, the connection turns unwritable and stays so.
            await().atMost(Duration.ofSeconds(10)).until(() -> timeouts("send") > before);
            // What was already in flight still arrives, then the end: the connection is closed, the 256 MiB never.
            s.setSoTimeout(5_000);
            long got = 0;
            byte[] buf = new byte[64 * 1024];
            try {
                for (int n; (n = s.getInputStream().read(buf)) > 0; ) {
                    got += n;
                }
            } catch (SocketException reset) {
                // a reset is a close too
            }
            assertThat(got).isLessThan(bytes / 2);
        }
    }

    @Test
    void keepsASlowReaderThatTakesBytesWithinTheSendTimeout() throws Exception {
        double before = timeouts("send");
        // Beyond what the kernel holds for the connection (up to 4 MiB of send buffer here), so that each pause
        // leaves the balancer unwritable with bytes waiting, as a slow reader does.
        int bytes = 12 * 1024 * 1024;
        try (RawHttp raw = new RawHttp(address, 10_000, 4096)) {
            raw.send("GET /stream?bytes=" + bytes + " HTTP/1.1\r\nHost: x\r\n\r\n");
            // Pauses half the 500 ms send timeout: the client keeps taking bytes, so it is never cut.
            RawHttp.Response r = raw.readSlowly(1024 * 1024, Duration.ofMillis(250));
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).hasSize(bytes);
        }
        assertThat(timeouts("send")).isEqualTo(before);
    }

    private static double timeouts(String phase) {
        return balancer.metrics().registry().find("balancer.client.timeouts")
                .tags("listener", "public", "phase", phase).counters().stream()
                .mapToDouble(io.micrometer.core.instrument.Counter::count).sum();
    }

    @Test
    void connectionThatNeverSendsAnythingGets408() throws Exception {
        try (RawHttp raw = new RawHttp(address, 5_000)) {
            assertThat(raw.read().status()).isEqualTo(408);
        }
    }

    @Test
    void idleKeepAliveConnectionIsClosed() throws Exception {
        try (RawHttp raw = new RawHttp(address, 5_000)) {
            assertThat(raw.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read().status()).isEqualTo(200);
            long start = System.nanoTime();
            assertThat(raw.closedByPeer()).isTrue();
            assertThat(System.nanoTime() - start).isGreaterThan(300_000_000L).isLessThan(4_000_000_000L);
        }
    }

    @Test
    void serverThatDoesNotAnswerInTimeGets504() throws Exception {
        try (RawHttp raw = new RawHttp(address, 5_000)) {
            RawHttp.Response r = raw.send("GET /delay?ms=3000 HTTP/1.1\r\nHost: x\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(504);
            assertThat(r.bodyText()).isEqualTo("504 Gateway Timeout: server web-1 (" + web.address()
                    + ") did not respond within 300ms\n");
            // The connection to the client survives a 504.
            assertThat(raw.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read().status()).isEqualTo(200);
        }
    }

    @Test
    void clientThatStallsItsBodyGets408NotA504() throws Exception {
        try (RawHttp raw = new RawHttp(address, 5_000)) {
            RawHttp.Response r = raw.send("POST /delay?ms=0 HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc")
                    .read();
            assertThat(r.status()).isEqualTo(408);
            assertThat(r.bodyText()).isEqualTo("408 Request Timeout: request body stalled for 300ms\n");
            assertThat(raw.closedByPeer()).isTrue();
        }
    }

    @Test
    void connectTimeoutGets503() throws Exception {
        try (RawHttp raw = new RawHttp(address, 5_000)) {
            RawHttp.Response r = raw.send("GET /blackhole HTTP/1.1\r\nHost: x\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(503);
            assertThat(r.bodyText()).contains("connect timed out after 200ms");
            assertThat(r.header("retry-after")).isEqualTo("1");
        }
    }

    @Test
    void garbageFromTheServerGets502() throws Exception {
        try (RawHttp raw = new RawHttp(address, 5_000)) {
            RawHttp.Response r = raw.send("GET /garbage HTTP/1.1\r\nHost: x\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(502);
            assertThat(r.bodyText()).startsWith("502 Bad Gateway: server web-1").contains("invalid response");
        }
    }

    @Test
    void noUsableServerGets503WithRetryAfterAndOneLineReason() throws Exception {
        UpstreamServer server = balancer.upstreams().pool("drained").server("drained-1");
        server.drain();
        try (RawHttp raw = new RawHttp(address, 5_000)) {
            RawHttp.Response r = raw.send("GET /drained HTTP/1.1\r\nHost: x\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(503);
            assertThat(r.header("retry-after")).isEqualTo("1");
            assertThat(r.bodyText()).isEqualTo("503 Service Unavailable: no usable server in pool drained\n");
        } finally {
            server.enable();
        }
        assertThat(drained.requests()).isZero();
    }
}
