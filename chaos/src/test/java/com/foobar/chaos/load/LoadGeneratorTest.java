package com.foobar.chaos.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The load generator against a real Jetty server on loopback that answers each path its own way: an order placed
 * (201 with Location), a page (200), a refusal (503 with a JSON reason), silence (a timeout) and a response cut in
 * the middle of its body (a broken connection).
 */
class LoadGeneratorTest {

    private Server server;
    private int port;

    @BeforeEach
    void start() throws Exception {
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                String path = Request.getPathInContext(request);
                response.getHeaders().put("X-Served-By", "web-1");
                switch (path) {
                    case "/api/orders" -> {
                        response.setStatus(201);
                        response.getHeaders().put(HttpHeader.LOCATION, "/api/orders/4242");
                        response.getHeaders().put("X-Db-Node", "primary");
                        Content.Sink.write(response, true, "{\"id\":4242}", callback);
                    }
                    case "/api/products" -> {
                        response.getHeaders().put("X-Db-Node", "replica-1");
                        Content.Sink.write(response, true, "{\"items\":[]}", callback);
                    }
                    case "/" -> {
                        response.setStatus(503);
                        Content.Sink.write(response, true, "{\"error\":\"the database is unavailable; retry shortly\","
                                + "\"field\":null}", callback);
                    }
                    case "/products/7" -> {
                        // Never answers: the client's request timeout ends it.
                    }
                    default -> {
                        // Half a body, then the connection breaks, as when the server dies mid-response.
                        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 1000);
                        response.write(false, ByteBuffer.wrap("partial".getBytes(StandardCharsets.UTF_8)),
                                Callback.from(() -> callback.failed(new RuntimeException("killed")),
                                        callback::failed));
                    }
                }
                return true;
            }
        });
        server.start();
        port = connector.getLocalPort();
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
    }

    private static LoadProfile profile(int reads, int writes) {
        return new LoadProfile(reads, writes, Duration.ofMillis(500), Duration.ofMillis(400), 64,
                Duration.ofSeconds(20));
    }

    @Test
    void eachRequestIsRecordedWithHowItEndedAndWritesWithTheOrderIdTheyWereTold() {
        ShopEndpoint endpoint = new ShopEndpoint("www.foobar.com", new InetSocketAddress("127.0.0.1", port));
        LoadGenerator load = LoadGenerator.start(endpoint, profile(40, 10), new Clock(), List.of(7L));
        await().atMost(Duration.ofSeconds(20)).until(() -> load.snapshot().stream().map(RequestRecord::path)
                .collect(Collectors.toSet()).size() == 5);
        List<RequestRecord> records = load.stop();

        Map<String, RequestRecord> byPath = records.stream()
                .collect(Collectors.toMap(RequestRecord::path, r -> r, (a, b) -> a));
        RequestRecord order = byPath.get("/api/orders");
        assertThat(order.operation()).isEqualTo(Operation.WRITE);
        assertThat(order.ok()).isTrue();
        assertThat(order.status()).isEqualTo(201);
        assertThat(order.orderId()).isEqualTo(4242);
        assertThat(order.acknowledgedWrite()).isTrue();
        assertThat(order.dbNode()).isEqualTo("primary");

        RequestRecord products = byPath.get("/api/products");
        assertThat(products.ok()).isTrue();
        assertThat(products.dbNode()).isEqualTo("replica-1");
        assertThat(products.servedBy()).isEqualTo("web-1");

        RequestRecord refused = byPath.get("/");
        assertThat(refused.kind()).isEqualTo(FailureKind.HTTP_STATUS);
        assertThat(refused.failureLabel()).isEqualTo("503");
        assertThat(refused.detail()).isEqualTo("the database is unavailable; retry shortly");

        RequestRecord silent = byPath.get("/products/7");
        assertThat(silent.kind()).isEqualTo(FailureKind.TIMEOUT);
        assertThat(silent.endMs() - silent.startMs()).isGreaterThanOrEqualTo(400);

        RequestRecord cut = byPath.get("/api/products/7");
        assertThat(cut.kind()).isEqualTo(FailureKind.IO);
        assertThat(cut.status()).as("the head had arrived").isEqualTo(200);

        assertThat(records).isSortedAccordingTo(java.util.Comparator.comparingDouble(RequestRecord::startMs));
    }

    @Test
    void requestsToAPortNobodyListensOnAreConnectFailures() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        ShopEndpoint endpoint = new ShopEndpoint("www.foobar.com", new InetSocketAddress("127.0.0.1", closed));
        LoadGenerator load = LoadGenerator.start(endpoint, profile(20, 0), new Clock(), List.of(1L));
        await().atMost(Duration.ofSeconds(10)).until(() -> load.snapshot().size() >= 5);
        List<RequestRecord> records = load.stop();

        assertThat(records).isNotEmpty().allSatisfy(r -> {
            assertThat(r.kind()).isEqualTo(FailureKind.CONNECT);
            assertThat(r.status()).isZero();
        });
    }

    @Test
    void theLoadKeepsItsRateAndStopsByItselfAtItsBound() {
        ShopEndpoint endpoint = new ShopEndpoint("www.foobar.com", new InetSocketAddress("127.0.0.1", port));
        LoadProfile oneSecond = new LoadProfile(0, 50, Duration.ofMillis(500), Duration.ofSeconds(2), 64,
                Duration.ofSeconds(1));
        LoadGenerator load = LoadGenerator.start(endpoint, oneSecond, new Clock(), List.of(7L));
        await().atMost(Duration.ofSeconds(10)).until(() -> load.snapshot().size() >= 49);
        List<RequestRecord> records = load.stop();

        assertThat(records).hasSizeBetween(49, 50).allSatisfy(r -> assertThat(r.ok()).isTrue());
    }

    @Test
    void failuresAreClassifiedFromTheExceptionAndItsCauses() {
        assertThat(LoadGenerator.classify(new java.io.IOException(new java.net.ConnectException("refused"))))
                .isEqualTo(FailureKind.CONNECT);
        assertThat(LoadGenerator.classify(new java.net.SocketTimeoutException("Connect Timeout")))
                .isEqualTo(FailureKind.CONNECT);
        assertThat(LoadGenerator.classify(new java.util.concurrent.TimeoutException("Total timeout 5000 ms elapsed")))
                .isEqualTo(FailureKind.TIMEOUT);
        assertThat(LoadGenerator.classify(new java.io.EOFException("reset"))).isEqualTo(FailureKind.IO);
        assertThat(LoadGenerator.orderId("/api/orders/17")).isEqualTo(17);
        assertThat(LoadGenerator.orderId(null)).isZero();
        assertThat(LoadGenerator.reason("502 Bad Gateway: server web-1 closed the connection\n"))
                .isEqualTo("502 Bad Gateway: server web-1 closed the connection");
        assertThat(LoadGenerator.reason("<!DOCTYPE html>\n<html><head><title>503 Service Unavailable · foobar.com"
                + "</title></head><body><p class=\"error\">the database is <b>unavailable</b></p></body>"))
                .isEqualTo("503 Service Unavailable · foobar.com: the database is unavailable");
    }
}
