package com.foobar.balancer.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.foobar.balancer.Balancer;
import com.foobar.balancer.config.ConfigLoader;
import com.foobar.balancer.testing.BalancerYaml;
import com.foobar.balancer.testing.RawHttp;
import com.foobar.balancer.testing.TestBackend;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A server's interim responses (1xx) on their way to HTTP/1.x clients; HTTP/2 clients: Http2FromClientsTest. */
class InterimResponsesTest {

    static TestBackend backend;
    static Balancer balancer;
    static InetSocketAddress address;

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
