package com.foobar.balancer.proxy;

import com.foobar.balancer.Balancer;
import com.foobar.balancer.config.ConfigLoader;
import com.foobar.balancer.testing.BalancerYaml;
import com.foobar.balancer.testing.RawHttp;
import com.foobar.balancer.testing.TestBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class RetriesTest {

    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    private TestBackend backend(String name) throws InterruptedException {
        TestBackend b = TestBackend.start(name);
        closeables.add(b);
        return b;
    }

    private InetSocketAddress balancer(String yaml) throws Exception {
        Balancer b = Balancer.start(ConfigLoader.parse(yaml), null);
        closeables.add(b);
        return b.listenerAddress("public");
    }

    /** A loopback port nothing listens on: connecting to it is refused. */
    private static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private HttpResponse<String> get(InetSocketAddress a, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + a.getPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void retriesOnAnotherServerWhenConnectionRefused() throws Exception {
        TestBackend live = backend("live");
        InetSocketAddress a = balancer(BalancerYaml.create().defaultPool("web")
                .pool("web", "    retries: 1\n", "dead=127.0.0.1:" + closedPort(), "live=" + live.address()).build());
        for (int i = 0; i < 6; i++) {
            HttpResponse<String> r = get(a, "/");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("hello from live\n");
        }
    }

    @Test
    void connectionRefusedEverywhereGets503WithRetryAfterAndReason() throws Exception {
        InetSocketAddress a = balancer(BalancerYaml.create().defaultPool("web")
                .pool("web", "    retries: 1\n", "dead-1=127.0.0.1:" + closedPort(), "dead-2=127.0.0.1:"
                        + closedPort()).build());
        HttpResponse<String> r = get(a, "/");
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.headers().firstValue("retry-after")).hasValue("1");
        assertThat(r.body()).startsWith("503 Service Unavailable: server dead-").contains("connect failed");
    }

    @Test
    void idempotentRequestIsReplayedOnAnotherServerWhenTheConnectionResets() throws Exception {
        TestBackend resetting = backend("resetting").mode(TestBackend.Mode.RESET);
        TestBackend good = backend("good");
        InetSocketAddress a = balancer(BalancerYaml.create().defaultPool("web")
                .pool("web", "    retries: 1\n", resetting, good).build());
        for (int i = 0; i < 4; i++) {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + a.getPort() + "/consume"))
                    .PUT(HttpRequest.BodyPublishers.ofString("payload-" + i)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).startsWith("bytes=9 ");
        }
        assertThat(resetting.requests()).isGreaterThan(0);
    }

    @Test
    void nonIdempotentPostIsNotReplayedAfterItsBytesReachedAServer() throws Exception {
        TestBackend resetting = backend("resetting").mode(TestBackend.Mode.RESET);
        TestBackend good = backend("good");
        InetSocketAddress a = balancer(BalancerYaml.create().defaultPool("web")
                .pool("web", "    retries: 2\n    algorithm: round-robin\n", resetting, good).build());
        int got502 = 0;
        for (int i = 0; i < 4; i++) {
            try (RawHttp raw = new RawHttp(a, 5_000)) {
                RawHttp.Response r = raw.send("POST /consume HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nbody")
                        .read();
                if (r.status() == 502) {
                    got502++;
                    assertThat(r.bodyText()).contains("server resetting");
                } else {
                    assertThat(r.status()).isEqualTo(200);
                }
            }
        }
        // Round robin sends half the POSTs to the resetting server; none of those may reach the good one.
        assertThat(got502).isEqualTo(resetting.requests()).isGreaterThan(0);
        assertThat(good.requests()).isEqualTo(4 - got502);
    }

    @Test
    void zeroClientErrorsForGetsWhenAServerIsKilledUnderLoad() throws Exception {
        TestBackend victim = backend("victim");
        TestBackend survivor = backend("survivor");
        InetSocketAddress a = balancer(BalancerYaml.create().defaultPool("web")
                .pool("web", "    retries: 2\n", victim, survivor).build());
        int clients = 4;
        int perClient = 500;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger served = new AtomicInteger();
        ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                futures.add(pool.submit(() -> {
                    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
                    for (int i = 0; i < perClient && System.nanoTime() < deadline; i++) {
                        try {
                            HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                                    URI.create("http://127.0.0.1:" + a.getPort() + "/delay?ms=1"))
                                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                            if (r.statusCode() == 200) {
                                ok.incrementAndGet();
                            } else {
                                errors.add(r.statusCode() + " " + r.body().trim());
                            }
                        } catch (Exception e) {
                            errors.add(e.toString());
                        }
                        served.incrementAndGet();
                    }
                    return null;
                }));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> served.get() >= 200);
            victim.kill();
            int killedAt = served.get();
            for (Future<?> f : futures) {
                f.get(30, TimeUnit.SECONDS);
            }
            assertThat(errors).isEmpty();
            assertThat(served.get()).isGreaterThan(killedAt + 100);
            assertThat(survivor.requests()).isGreaterThan(100);
            assertThat(ok.get()).isEqualTo(served.get());
        } finally {
            pool.shutdownNow();
        }
    }
}
