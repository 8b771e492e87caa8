package com.foobar.balancer.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.foobar.balancer.Balancer;
import com.foobar.balancer.config.ConfigLoader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketMessage;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketOpen;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** WebSockets through the balancer: the JDK's client, Jetty's server, the balancer's tunnel in between. */
class TunnelTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private static Server jetty;
    private static int jettyPort;
    private Balancer balancer;

    /** Greets at once (bytes right behind the 101), then echoes every text. */
    @org.eclipse.jetty.websocket.api.annotations.WebSocket
    public static class Echo {
        @OnWebSocketOpen
        public void onOpen(Session session) {
            session.sendText("welcome", Callback.NOOP);
        }

        @OnWebSocketMessage
        public void onText(Session session, String text) {
            session.sendText("echo: " + text, Callback.NOOP);
        }
    }

    @BeforeAll
    static void startJetty() throws Exception {
        jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost("127.0.0.1");
        jetty.addConnector(connector);
        ContextHandler context = new ContextHandler("/");
        context.setHandler(WebSocketUpgradeHandler.from(jetty, context, container -> {
            container.setMaxTextMessageSize(4 << 20);
            container.addMapping("/ws", (request, response, callback) -> new Echo());
        }));
        jetty.setHandler(context);
        jetty.start();
        jettyPort = connector.getLocalPort();
    }

    @AfterAll
    static void stopJetty() throws Exception {
        jetty.stop();
    }

    @AfterEach
    void stopBalancer() {
        if (balancer != null) {
            balancer.close(Duration.ZERO);
        }
    }

    private void startBalancer(String tunnelTimeout) throws Exception {
        balancer = Balancer.start(ConfigLoader.parse("""
                listeners: [{ name: public, bind: 127.0.0.1:0, default_pool: web }]
                admin: { bind: 127.0.0.1:0 }
                access_log: off
                client_timeouts: { tunnel: %s }
                pools:
                  web:
                    servers: [{ name: jetty, address: "127.0.0.1:%d" }]
                """.formatted(tunnelTimeout, jettyPort)), null);
    }

    private URI ws(String path) {
        return URI.create("ws://127.0.0.1:" + balancer.listenerAddress("public").getPort() + path);
    }

    /** Collects what arrives, whole messages only. */
    private static final class Received implements WebSocket.Listener {
        final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private final StringBuilder part = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            part.append(data);
            if (last) {
                texts.add(part.toString());
                part.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(-1);
        }

        String next() throws InterruptedException {
            return texts.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private String metrics() {
        return balancer.metrics().scrape();
    }

    @Test
    void aWebSocketIsSplicedBothWaysAndCountedAsATunnel() throws Exception {
        startBalancer("1h");
        Received received = new Received();
        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(ws("/ws"), received)
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);

        assertThat(received.next()).as("sent by the server right behind its 101").isEqualTo("welcome");
        socket.sendText("hi", true).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(received.next()).isEqualTo("echo: hi");
        // Larger than any socket buffer both ways: the splice reads only as fast as the other side takes.
        String big = "x".repeat(3 << 20);
        socket.sendText(big, true).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(received.next()).isEqualTo("echo: " + big);
        assertThat(metrics()).contains("balancer_tunnels{listener=\"public\"} 1.0")
                .contains("balancer_tunnels_opened_total{listener=\"public\"} 1.0");

        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(received.closed.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(WebSocket.NORMAL_CLOSURE);
        await().atMost(WAIT).untilAsserted(() -> assertThat(metrics())
                .contains("balancer_tunnels{listener=\"public\"} 0.0")
                .contains("balancer_client_connections{listener=\"public\"} 0.0"));
    }

    /**
     * A client that is done sending (FIN) may still be waiting for the answer, as a TCP proxy must allow: the server
     * sees the end of input through the balancer, answers, then closes, and the client reads the answer to the end.
     */
    @Test
    void aHalfCloseIsPassedOnAndTheOtherSideMayStillAnswer() throws Exception {
        try (java.net.ServerSocket backend = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            CompletableFuture<String> backendSaw = new CompletableFuture<>();
            Thread server = new Thread(() -> {
                try (java.net.Socket s = backend.accept()) {
                    java.io.InputStream in = s.getInputStream();
                    readHead(in);
                    s.getOutputStream().write(("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\n"
                            + "Upgrade: raw\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    String got = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII); // to FIN
                    backendSaw.complete(got);
                    s.getOutputStream().write(("got " + got + " and the end").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                } catch (java.io.IOException e) {
                    backendSaw.completeExceptionally(e);
                }
            }, "raw-backend");
            server.start();
            balancer = Balancer.start(ConfigLoader.parse("""
                    listeners: [{ name: public, bind: 127.0.0.1:0, default_pool: web }]
                    admin: { bind: 127.0.0.1:0 }
                    access_log: off
                    pools:
                      web:
                        servers: [{ name: raw, address: "127.0.0.1:%d" }]
                    """.formatted(backend.getLocalPort())), null);
            try (java.net.Socket client = new java.net.Socket("127.0.0.1", balancer.listenerAddress("public").getPort())) {
                client.setSoTimeout((int) WAIT.toMillis());
                client.getOutputStream().write(("GET /raw HTTP/1.1\r\nHost: www.foobar.com\r\nConnection: Upgrade\r\n"
                        + "Upgrade: raw\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                assertThat(readHead(client.getInputStream())).startsWith("HTTP/1.1 101");
                client.getOutputStream().write("hello".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                client.shutdownOutput();
                assertThat(backendSaw.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("hello");
                assertThat(new String(client.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII))
                        .as("the answer after the client's half-close, then the server's close")
                        .isEqualTo("got hello and the end");
            }
            server.join(WAIT.toMillis());
            await().atMost(WAIT).untilAsserted(() -> assertThat(metrics())
                    .contains("balancer_tunnels{listener=\"public\"} 0.0"));
        }
    }

    /** Reads an HTTP head byte by byte (nothing after it), returns it. */
    private static String readHead(java.io.InputStream in) throws java.io.IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new java.io.EOFException("closed within the head: " + head);
            }
            head.append((char) b);
        }
        return head.toString();
    }

    @Test
    void aTunnelWithNothingPassingIsClosedAfterTheTunnelTimeout() throws Exception {
        startBalancer("500ms");
        Received received = new Received();
        HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(ws("/ws"), received)
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(received.next()).isEqualTo("welcome");

        // Neither side sends anything more: the balancer closes both connections.
        received.closed.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        await().atMost(WAIT).untilAsserted(() -> assertThat(metrics())
                .contains("balancer_tunnels{listener=\"public\"} 0.0"));
    }

    @Test
    void anUpgradeTheServerRefusesIsAnOrdinaryResponse() throws Exception {
        startBalancer("1h");
        assertThatThrownBy(() -> HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(ws("/not-a-socket"), new Received()).get(WAIT.toSeconds(), TimeUnit.SECONDS))
                .cause().isInstanceOfSatisfying(WebSocketHandshakeException.class,
                        e -> assertThat(e.getResponse().statusCode()).isEqualTo(404));
        assertThat(metrics()).as("no tunnel was ever opened").doesNotContain("balancer_tunnels_opened_total");
        assertThat(metrics()).contains("balancer_requests_total{listener=\"public\",pool=\"web\",server=\"jetty\","
                + "status_class=\"4xx\"} 1.0");
    }

    @Test
    void aStoppingBalancerClosesItsTunnelsInsteadOfWaitingOutTheGrace() throws Exception {
        startBalancer("1h");
        Received received = new Received();
        HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(ws("/ws"), received)
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(received.next()).isEqualTo("welcome");

        Balancer stopping = balancer;
        balancer = null;
        Thread stopper = new Thread(() -> stopping.close(Duration.ofMinutes(5)), "stopper");
        stopper.start();
        received.closed.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        stopper.join(WAIT.toMillis());
        assertThat(stopper.isAlive()).as("the stop did not wait out its grace for the tunnel").isFalse();
    }
}
