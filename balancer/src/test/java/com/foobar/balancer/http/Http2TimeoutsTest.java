package com.foobar.balancer.http;

import com.foobar.balancer.testing.H2Client;
import com.foobar.balancer.testing.TestBackend;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameStream;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLSocket;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** {@code client_timeouts} and draining on HTTP/2 connections, seen by a raw h2 client. */
class Http2TimeoutsTest {

    private static TestBackend web;

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

    private GuardedBalancer start(String header, String idle) throws Exception {
        return startWithTimeouts("header: " + header + ", idle: " + idle);
    }

    private GuardedBalancer startWithSendTimeout(String send) throws Exception {
        return startWithTimeouts("send: " + send);
    }

    /** One TLS listener (h2 offered) in front of the test's server, with these {@code client_timeouts}. */
    private GuardedBalancer startWithTimeouts(String clientTimeouts) throws Exception {
        return GuardedBalancer.start("data_dir: \"" + dir.resolve("data") + "\"\n"
                + "listeners:\n"
                + "  - name: https\n"
                + "    bind: 127.0.0.1:0\n"
                + "    default_pool: web\n"
                + "    tls: { auto: [localhost] }\n"
                + "pools:\n"
                + "  web:\n"
                + "    servers: [ { name: web-1, address: \"" + web.address() + "\" } ]\n"
                + "admin: { bind: 127.0.0.1:0 }\n"
                + "client_timeouts: { " + clientTimeouts + " }\n"
                + "access_log: off\n");
    }

    private H2Client connect(GuardedBalancer b, boolean autoAckPing) throws Exception {
        return H2Client.connect(b.address("https"), dir.resolve("data/tls/ca.pem"), autoAckPing);
    }

    @Test
    void closesAConnectionWhosePrefaceDoesNotArriveWithinTheHeaderTimeout() throws Exception {
        try (GuardedBalancer b = start("1s", "30s");
             SSLSocket s = H2Client.silentTlsSocket(b.address("https"), dir.resolve("data/tls/ca.pem"))) {
            assertThat(s.getApplicationProtocol()).isEqualTo("h2");
            long start = System.nanoTime();
            // The server's own SETTINGS come first; then, with no preface from us, the end of the stream.
            InputStream in = s.getInputStream();
            byte[] buf = new byte[4096];
            while (in.read(buf) >= 0) {
                // drain until the balancer closes
            }
            long elapsedMs = (System.nanoTime() - start) / 1_000_000;
            assertThat(elapsedMs).isBetween(700L, 5_000L);
        }
    }

    @Test
    void closesATlsConnectionThatNeverHandshakesWithoutAnswering() throws Exception {
        try (GuardedBalancer b = start("500ms", "30s");
             java.net.Socket s = new java.net.Socket(b.address("https").getAddress(), b.address("https").getPort())) {
            s.setSoTimeout(10_000);
            // No ClientHello: the header timeout ends it, with no plain-text 408 on a TLS port.
            assertThat(s.getInputStream().readAllBytes()).isEmpty();
        }
    }

    @Test
    void sendsGoAwayAndClosesAConnectionWithoutOpenStreamsAfterTheIdleTimeout() throws Exception {
        try (GuardedBalancer b = start("10s", "700ms"); H2Client c = connect(b, true)) {
            Http2FrameStream s = c.get("/hello");
            assertThat(c.response(s.id(), Duration.ofSeconds(5)).status()).isEqualTo(200);
            long done = System.nanoTime();
            Http2GoAwayFrame goAway = c.awaitFrame(Http2GoAwayFrame.class, 0, Duration.ofSeconds(5));
            assertThat(goAway.errorCode()).isEqualTo(Http2Error.NO_ERROR.code());
            assertThat(goAway.lastStreamId()).isEqualTo(s.id());
            assertThat((System.nanoTime() - done) / 1_000_000).isGreaterThanOrEqualTo(500L);
            c.awaitClosed(Duration.ofSeconds(5));
        }
    }

    @Test
    void keepsAConnectionWhoseStreamWaitsOnTheServerWhileThePeerAnswersPings() throws Exception {
        try (GuardedBalancer b = start("1s", "400ms"); H2Client c = connect(b, true)) {
            Http2FrameStream s = c.get("/delay?ms=1500");
            H2Client.Response r = c.response(s.id(), Duration.ofSeconds(10));
            assertThat(r.status()).isEqualTo(200);
            // Silent for longer than idle with a stream open: probed, answered, kept.
            assertThat(c.pinged()).isTrue();
            assertThat(c.goAway()).isEmpty();
        }
    }

    @Test
    void closesAConnectionWithOpenStreamsWhenThePeerDoesNotAnswerThePing() throws Exception {
        // header bounds the TLS handshake too: generous, so a loaded machine still completes it.
        try (GuardedBalancer b = start("2s", "500ms"); H2Client c = connect(b, false)) {
            Http2FrameStream s = c.get("/delay?ms=10000");
            await().atMost(Duration.ofSeconds(5)).until(() -> b.sample("balancer_requests_in_flight{") == 1);
            await().atMost(Duration.ofSeconds(5)).until(c::pinged);
            c.awaitClosed(Duration.ofSeconds(5));
            assertThat(c.received()).noneMatch(r -> r.streamId() == s.id() && r.data() != null);
            // The upstream exchange was abandoned with the connection.
            await().atMost(Duration.ofSeconds(5)).until(() -> b.sample("balancer_requests_in_flight{") == 0);
        }
    }

    @Test
    void resetsAStreamWhoseClientOpensNoWindowForTheResponseAndFreesItsServerConnection() throws Exception {
        try (GuardedBalancer b = startWithSendTimeout("700ms");
             H2Client c = H2Client.connect(b.address("https"), dir.resolve("data/tls/ca.pem"), true, false)) {
            int connectionsBefore = web.openConnections();
            // 8 MiB to a client that takes the first 64 KiB and never opens its window again.
            Http2FrameStream s = c.get("/stream?bytes=8388608");
            Http2ResetFrame rst = c.awaitFrame(Http2ResetFrame.class, s.id(), Duration.ofSeconds(10));
            assertThat(rst.errorCode()).isEqualTo(Http2Error.CANCEL.code());
            // The exchange is gone with its server connection, which was mid-response: closed, not pooled.
            await().atMost(Duration.ofSeconds(5)).until(() -> web.openConnections() <= connectionsBefore);
            // The client's connection goes on (a response without a body needs no window).
            assertThat(c.isOpen()).isTrue();
            Http2FrameStream next = c.get("/status?code=204");
            assertThat(c.response(next.id(), Duration.ofSeconds(5)).status()).isEqualTo(204);
        }
    }

    @Test
    void resetsAStreamWhoseRequestBodyStallsAndKeepsTheConnection() throws Exception {
        try (GuardedBalancer b = start("10s", "600ms"); H2Client c = connect(b, true)) {
            Http2FrameStream s = c.open(c.headers("POST", "/consume"), false);
            c.data(s, "the first part of a body that never ends", false);
            Http2ResetFrame rst = c.awaitFrame(Http2ResetFrame.class, s.id(), Duration.ofSeconds(5));
            assertThat(rst.errorCode()).isEqualTo(Http2Error.CANCEL.code());
            assertThat(c.isOpen()).isTrue();
            Http2FrameStream next = c.get("/hello");
            assertThat(c.response(next.id(), Duration.ofSeconds(5)).body()).isEqualTo("hello from web-1\n");
        }
    }

    @Test
    void drainSendsGoAwayLetsTheOpenStreamFinishAndRefusesNewOnes() throws Exception {
        try (GuardedBalancer b = start("10s", "30s"); H2Client c = connect(b, true)) {
            Http2FrameStream slow = c.get("/delay?ms=1500");
            await().atMost(Duration.ofSeconds(5)).until(() -> b.sample("balancer_requests_in_flight{") == 1);
            InetSocketAddress a = b.address("https");
            Thread drain = b.drain("https", Duration.ofSeconds(10));
            Http2GoAwayFrame goAway = c.awaitFrame(Http2GoAwayFrame.class, 0, Duration.ofSeconds(5));
            assertThat(goAway.errorCode()).isEqualTo(Http2Error.NO_ERROR.code());
            assertThat(goAway.lastStreamId()).isEqualTo(slow.id());
            // After GOAWAY the connection takes no new stream, and the listener no new connection.
            assertThatThrownBy(() -> c.get("/hello")).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> new java.net.Socket(a.getAddress(), a.getPort()).close())
                    .isInstanceOf(java.net.ConnectException.class);
            H2Client.Response r = c.response(slow.id(), Duration.ofSeconds(10));
            assertThat(r.status()).isEqualTo(200);
            c.awaitClosed(Duration.ofSeconds(5));
            drain.join(10_000);
            assertThat(drain.isAlive()).isFalse();
        }
    }
}
