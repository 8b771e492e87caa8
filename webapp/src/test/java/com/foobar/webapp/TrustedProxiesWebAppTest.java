package com.foobar.webapp;

import com.foobar.devdb.DevDb;
import com.foobar.webapp.net.TrustedProxies;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The whole shop with {@code --trusted-proxies 127.0.0.1/32}: 127.0.0.2 is a loopback peer it does not trust. */
class TrustedProxiesWebAppTest {

    private static WebApp app;

    @BeforeAll
    static void start() throws Exception {
        DevDb db = SharedDevDb.get();
        app = WebApp.start(WebAppConfig.builder()
                .name("web-gated")
                .bind("127.0.0.1")
                .port(0)
                .trustedProxies(TrustedProxies.parse("127.0.0.1/32"))
                .primaryUrl(db.primary().jdbcUrl())
                .replicaUrls(db.replicas().stream().map(r -> r.jdbcUrl()).toList())
                .dbUser(db.user())
                .dbPassword(db.password())
                .shutdownTimeout(Duration.ofSeconds(5))
                .build());
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    /** The status line and headers of a GET sent from {@code fromAddress}. */
    private static String rawGetHead(String fromAddress, String path) throws IOException {
        try (Socket socket = new Socket()) {
            socket.setSoTimeout(5_000);
            socket.bind(new InetSocketAddress(fromAddress, 0));
            socket.connect(new InetSocketAddress("127.0.0.1", app.port()), 5_000);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            return response.substring(0, Math.max(0, response.indexOf("\r\n\r\n")));
        }
    }

    @Test
    void shopRefusesAnUntrustedPeerButStillSaysWhichServerRefused() throws Exception {
        String head = rawGetHead("127.0.0.2", "/api/products");
        assertThat(head).startsWith("HTTP/1.1 403 ");
        assertThat(head).contains("X-Served-By: web-gated");
        assertThat(rawGetHead("127.0.0.2", "/")).startsWith("HTTP/1.1 403 ");
        assertThat(rawGetHead("127.0.0.2", "/metrics")).startsWith("HTTP/1.1 403 ");
        String metrics = new TestClient(app.uri()).get("/metrics").body();
        assertThat(metrics.lines().filter(l -> l.startsWith("webapp_http_untrusted_refused_total"))
                .map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst())
                .hasValueSatisfying(v -> assertThat(v).isGreaterThanOrEqualTo(3.0));
    }

    @Test
    void healthStaysOpenToLoopback() throws Exception {
        assertThat(rawGetHead("127.0.0.2", "/health")).startsWith("HTTP/1.1 200 ");
    }

    @Test
    void trustedPeerGetsTheShop() throws Exception {
        HttpResponse<String> r = new TestClient(app.uri()).get("/api/products");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("X-Served-By")).contains("web-gated");
        assertThat(app.describe()).contains("trusted proxies").contains("127.0.0.1/32");
    }
}
