package com.foobar.webapp.net;

import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.CustomRequestLog;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The gate and the client-address customizer on a real Jetty connector, with a handler that answers with the
 * client address it sees, and an access log in the shop's own {@code %{client}a} form.
 */
class TrustedProxyHttpTest {

    private static final String UNTRUSTED = "127.0.0.2";

    private final Queue<String> accessLog = new ConcurrentLinkedQueue<>();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Server server;

    private URI start(String trusted) throws Exception {
        TrustedProxies proxies = TrustedProxies.parse(trusted);
        server = new Server();
        HttpConfiguration http = new HttpConfiguration();
        http.addCustomizer(proxies.newClientAddressCustomizer());
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(proxies.newGate(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                response.setStatus(200);
                Content.Sink.write(response, true, Request.getRemoteAddr(request), callback);
                return true;
            }
        }));
        server.setRequestLog(new CustomRequestLog(accessLog::add, "%{client}a \"%r\" %s"));
        server.start();
        return URI.create("http://127.0.0.1:" + connector.getLocalPort());
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.stop();
        }
    }

    private HttpResponse<String> get(URI base, String path, String forwardedFor) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(5));
        if (forwardedFor != null) {
            r.header("X-Forwarded-For", forwardedFor);
        }
        return client.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    private void awaitLogLine(String line) {
        await().atMost(Duration.ofSeconds(5)).until(() -> accessLog.contains(line));
    }

    @Test
    void untrustedPeerIsRefusedWith403AndAOneLineReason() throws Exception {
        URI base = start("127.0.0.1/32");
        RawHttp r = RawHttp.get(UNTRUSTED, base, "/api/products");
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.body()).isEqualTo(TrustedProxyHandler.REASON);
        assertThat(r.body().strip()).doesNotContain("\n");
        awaitLogLine(UNTRUSTED + " \"GET /api/products HTTP/1.1\" 403");
    }

    @Test
    void trustedPeerPassesAndIsTheClientWithoutForwardedFor() throws Exception {
        URI base = start("127.0.0.1/32");
        HttpResponse<String> r = get(base, "/api/products", null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("127.0.0.1");
        awaitLogLine("127.0.0.1 \"GET /api/products HTTP/1.1\" 200");
    }

    @Test
    void healthIsOpenToAnUntrustedLoopbackPeerButNothingElseIs() throws Exception {
        URI base = start("127.0.0.1/32");
        assertThat(RawHttp.get(UNTRUSTED, base, "/health").status()).isEqualTo(200);
        assertThat(RawHttp.get(UNTRUSTED, base, "/health/../api/orders").status()).isEqualTo(403);
        assertThat(RawHttp.get(UNTRUSTED, base, "/healthz").status()).isEqualTo(403);
    }

    @Test
    void forwardedForFromATrustedPeerNamesTheRightMostUntrustedHop() throws Exception {
        URI base = start("127.0.0.1/32, 10.0.0.0/8");
        // 6.6.6.6 is what the client claimed; the balancer appended the real client, an internal hop itself.
        HttpResponse<String> r = get(base, "/whoami", "6.6.6.6, 203.0.113.7, 10.1.2.3");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("203.0.113.7");
        awaitLogLine("203.0.113.7 \"GET /whoami HTTP/1.1\" 200");
    }

    @Test
    void forwardedForFromAnUntrustedPeerIsIgnored() throws Exception {
        URI base = start("127.0.0.1/32");
        RawHttp health = RawHttp.get(UNTRUSTED, base, "/health", "X-Forwarded-For: 203.0.113.7");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.body()).isEqualTo(UNTRUSTED);
        awaitLogLine(UNTRUSTED + " \"GET /health HTTP/1.1\" 200");
        // Nor can a spoofed header talk its way past the gate.
        RawHttp spoofed = RawHttp.get(UNTRUSTED, base, "/api/orders", "X-Forwarded-For: 127.0.0.1");
        assertThat(spoofed.status()).isEqualTo(403);
        awaitLogLine(UNTRUSTED + " \"GET /api/orders HTTP/1.1\" 403");
    }

    @Test
    void noTrustedProxiesMeansForwardedForIsNeverBelieved() throws Exception {
        URI base = start("");
        HttpResponse<String> r = get(base, "/whoami", "203.0.113.7");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("127.0.0.1");
    }
}
