package com.foobar.webapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.foobar.logging.Logging;
import com.foobar.webapp.web.ShopServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The access log of a real web server over the shared database pair (its logging writes it to stderr). */
class AccessLogTest {

    @BeforeAll
    static void logAsTheWebServersMainDoes() {
        Logging.init();
    }

    @Test
    void passedHealthChecksAndProbesAreNotLoggedAndEverythingElseIs() throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream stderr = System.err;
        try (WebApp app = SharedDevDb.startWebApp("web-log")) {
            TestClient client = new TestClient(app.uri());
            SharedDevDb.awaitReplicaUsable(app); // so that /ready passes below: a failing probe is logged
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            for (int i = 0; i < 3; i++) {
                assertThat(client.get("/health").statusCode()).isEqualTo(200);
            }
            client.get("/ready");
            assertThat(client.get("/api/products").statusCode()).isEqualTo(200);
            assertThat(client.get("/no-such-page").statusCode()).isEqualTo(404);

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(text(captured))
                    .contains("\"GET /api/products HTTP/1.1\" 200", "\"GET /no-such-page HTTP/1.1\" 404"));
            assertThat(text(captured)).doesNotContain("GET /health", "GET /ready");
        } finally {
            System.setErr(stderr);
        }
    }

    @Test
    void aFailedProbeIsLogged() {
        assertThat(ShopServer.accessLogged("/health", 503)).isTrue();
        assertThat(ShopServer.accessLogged("/ready", 503)).isTrue();
        assertThat(ShopServer.accessLogged("/health", 200)).isFalse();
        assertThat(ShopServer.accessLogged("/healthy-products", 200)).isTrue();
    }

    private static String text(ByteArrayOutputStream captured) {
        return captured.toString(StandardCharsets.UTF_8);
    }
}
