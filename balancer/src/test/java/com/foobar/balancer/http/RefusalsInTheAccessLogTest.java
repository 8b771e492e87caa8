package com.foobar.balancer.http;

import com.foobar.balancer.Balancer;
import com.foobar.balancer.config.ConfigLoader;
import com.foobar.balancer.testing.RawHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Requests the balancer answers itself, before any server, are written to the access log like the others (as HAProxy
 * logs its own refusals): an operator looking for a client's 400, 408 or 429 finds it where the 200s are.
 */
class RefusalsInTheAccessLogTest extends GuardedListenerFixture {

    @TempDir
    static Path dir;
    static Path log;
    static Balancer balancer;
    static InetSocketAddress address;

    @BeforeAll
    static void start() throws Exception {
        log = dir.resolve("access.log");
        String yaml = yaml("    rate_limit: { requests_per_second: 1, burst: 2 }\n")
                .replace("access_log: off\n", "access_log: \"" + log + "\"\n")
                + "client_timeouts: { header: 300ms, idle: 10s }\n";
        balancer = Balancer.start(ConfigLoader.parse(yaml), null);
        address = balancer.listenerAddress("public");
    }

    @AfterAll
    static void stop() {
        balancer.close();
    }

    private static String logLineWith(String text) throws Exception {
        await().atMost(Duration.ofSeconds(5)).until(() -> Files.readString(log).contains(text));
        return Files.readString(log).lines().filter(l -> l.contains(text)).findFirst().orElseThrow();
    }

    @Test
    void aGuardsRefusalIsLoggedWithItsMethodTargetStatusAndNoServer() throws Exception {
        try (RawHttp raw = new RawHttp(address, 5_000)) {
            RawHttp.Response r = raw.send("GET /two-hosts HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(400);
            assertThat(logLineWith("/two-hosts"))
                    .matches(".* 127\\.0\\.0\\.1:\\d+ public \"GET /two-hosts\" 400 " + r.body().length
                            + " 0\\.000ms -/- - 0 -");
        }
        assertThat(web.requests()).isEqualTo(before);
    }

    @Test
    void anObsFoldRefusalBeforeTheDecoderIsLoggedWithItsRequestLine() throws Exception {
        try (RawHttp raw = new RawHttp(address, 5_000)) {
            RawHttp.Response r = raw.send("GET /folded HTTP/1.1\r\nHost: a\r\nX-Long: one\r\n two\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(400);
            assertThat(logLineWith("/folded")).contains("\"GET /folded\" 400 " + r.body().length + " ");
        }
    }

    @Test
    void aHeaderTimeoutsAnswerIsLoggedAs408WithoutARequestLine() throws Exception {
        try (RawHttp raw = new RawHttp(address, 5_000)) {
            raw.send("GET /never-finished HTTP/1.1\r\nHost: a\r\n");
            RawHttp.Response r = raw.read();
            assertThat(r.status()).isEqualTo(408);
            assertThat(logLineWith("\"- -\" 408")).contains(" 408 " + r.body().length + " 0.000ms -/- - 0 -");
        }
    }

    @Test
    void aRateLimitedRequestIsLoggedAs429() throws Exception {
        String line = null;
        for (int i = 0; i < 5 && line == null; i++) {
            try (RawHttp raw = new RawHttp(address, 5_000)) {
                if (raw.send("GET /limited-" + i + " HTTP/1.1\r\nHost: a\r\n\r\n").read().status() == 429) {
                    line = logLineWith("/limited-" + i);
                }
            }
        }
        assertThat(line).as("one of 5 requests in a row over 1 per second with a burst of 2 gets 429")
                .isNotNull()
                .contains(" 429 ")
                .contains(" -/- - 0 -");
    }
}
