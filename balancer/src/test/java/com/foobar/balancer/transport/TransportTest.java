package com.foobar.balancer.transport;

import com.foobar.balancer.testing.BalancerYaml;
import com.foobar.balancer.testing.ForkedBalancer;
import com.foobar.balancer.testing.Patterns;
import com.foobar.balancer.testing.TestBackend;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.uring.IoUring;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * Every transport serves the whole balancer: the in-process suite runs on whichever {@code auto} picks here, so each
 * transport is also run end to end in a forked balancer (proxy, upstream pool, health checks, admin).
 */
class TransportTest {

    @TempDir
    static Path dir;
    static TestBackend web1;
    static TestBackend web2;
    static Path config;
    static final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        web1 = TestBackend.start("web-1");
        web2 = TestBackend.start("web-2");
        config = ForkedBalancer.writeConfig(dir, BalancerYaml.create().defaultPool("web")
                .pool("web", "    health_check: { path: /health, interval: 100ms, timeout: 2s, rise: 1, fall: 3 }\n",
                        web1, web2)
                .build());
    }

    @AfterAll
    static void stop() {
        web1.close();
        web2.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"io_uring", "epoll", "nio"})
    @Timeout(60)
    void eachTransportProxiesHealthChecksAndServesAdmin(String name) throws Exception {
        assumeThat(available(name)).as(name + " is available on this platform").isTrue();
        ForkedBalancer balancer = ForkedBalancer.start(List.of("-Xmx128m", "-D" + Transport.PROPERTY + "=" + name),
                "--config", config.toString());
        try {
            InetSocketAddress pub = balancer.awaitListener("public", Duration.ofSeconds(30));
            InetSocketAddress admin = balancer.awaitListener("admin", Duration.ofSeconds(5));
            assertThat(String.join("\n", balancer.stdout())).contains("(" + name + ", ");

            Set<String> served = new HashSet<>();
            for (int i = 0; i < 4; i++) {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri(pub, "/hello")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(200);
                served.add(r.headers().firstValue("x-backend").orElseThrow());
            }
            assertThat(served).containsExactlyInAnyOrder("web-1", "web-2");

            long n = 4L * 1024 * 1024;
            HttpResponse<String> upload = client.send(HttpRequest.newBuilder(uri(pub, "/consume"))
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> Patterns.stream(n))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(upload.statusCode()).isEqualTo(200);
            assertThat(upload.body()).isEqualTo("bytes=" + n + " crc32=" + Patterns.crc32(n));

            // Health checks connect from the same event loops: each server is seen passing them.
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(client.send(
                    HttpRequest.newBuilder(uri(admin, "/metrics")).build(), HttpResponse.BodyHandlers.ofString())
                    .body())
                    .contains("balancer_health_checks_total{pool=\"web\",result=\"passed\",server=\"web-1\"}")
                    .contains("balancer_health_checks_total{pool=\"web\",result=\"passed\",server=\"web-2\"}"));
        } finally {
            balancer.close();
        }
    }

    @Test
    @Timeout(60)
    void anUnknownTransportStopsTheStartWithTheChoices() throws Exception {
        ForkedBalancer balancer = ForkedBalancer.start(List.of("-D" + Transport.PROPERTY + "=kqueue"),
                "--config", config.toString());
        assertThat(balancer.waitFor(Duration.ofSeconds(30))).isNotZero();
        assertThat(balancer.stderr()).containsExactly(
                "cannot start: balancer.transport: \"kqueue\" is not a transport: use auto, io_uring, epoll or nio");
    }

    @Test
    void autoPicksTheFastestTransportThePlatformHas() {
        String expected = IoUring.isAvailable() ? "io_uring" : Epoll.isAvailable() ? "epoll" : "nio";
        assertThat(Transport.named("auto").name()).isEqualTo(expected);
        assertThat(Transport.named(" AUTO ").name()).isEqualTo(expected);
    }

    @Test
    void aTransportThePlatformLacksIsRefusedWithItsReason() {
        assumeThat(IoUring.isAvailable()).as("io_uring is missing here").isFalse();
        assertThatThrownBy(() -> Transport.named("io_uring"))
                .isInstanceOf(TransportUnavailableException.class)
                .hasMessageStartingWith("balancer.transport: io_uring is not available here (");
    }

    @ParameterizedTest
    @ValueSource(strings = {"io_uring", "epoll", "nio"})
    void channelsAreChosenForTheGroupTheyWillRegisterWith(String name) throws Exception {
        assumeThat(available(name)).isTrue();
        Transport t = Transport.named(name);
        EventLoopGroup group = t.newGroup(1, "transport-test");
        try {
            Transport seen = Transport.of(group);
            assertThat(seen.name()).isEqualTo(name);
            assertThat(seen.channelType()).isEqualTo(t.channelType());
            assertThat(seen.serverChannelType()).isEqualTo(t.serverChannelType());
        } finally {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
        }
    }

    @Test
    void anAutoPickThePlatformRefusesAtStartFallsBackAndSaysWhy() throws Exception {
        ByteArrayOutputStream warnings = new ByteArrayOutputStream();
        EventLoopGroup group = new Transport(Transport.Kind.IO_URING, true).newGroup(1, "fallback-test",
                new PrintStream(warnings, true, StandardCharsets.UTF_8), refusing(Transport.Kind.IO_URING));
        try {
            String expected = Epoll.isAvailable() ? "epoll" : "nio";
            assertThat(Transport.of(group).name()).isEqualTo(expected);
            assertThat(warnings.toString(StandardCharsets.UTF_8)).isEqualTo("warning: io_uring could not start here"
                    + " (io_uring_setup: Cannot allocate memory); using " + expected
                    + " (-Dbalancer.transport=" + expected + " skips the attempt)" + System.lineSeparator());
        } finally {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
        }
    }

    @Test
    void aNamedTransportThePlatformRefusesAtStartStopsTheStart() {
        ByteArrayOutputStream warnings = new ByteArrayOutputStream();
        assertThatThrownBy(() -> new Transport(Transport.Kind.EPOLL, false).newGroup(1, "refused-test",
                new PrintStream(warnings, true, StandardCharsets.UTF_8), refusing(Transport.Kind.EPOLL)))
                .isInstanceOf(TransportUnavailableException.class)
                .hasMessage("balancer.transport: epoll could not start here (io_uring_setup: Cannot allocate memory)");
        assertThat(warnings.size()).isZero();
    }

    /** Handler factories whose {@code refused} kind fails as a ring over the locked-memory limit does. */
    private static Function<Transport.Kind, IoHandlerFactory> refusing(Transport.Kind refused) {
        return kind -> kind != refused ? Transport.factory(kind) : executor -> {
            throw new IllegalStateException("io_uring_setup: Cannot allocate memory");
        };
    }

    private static boolean available(String name) {
        return switch (name) {
            case "io_uring" -> IoUring.isAvailable();
            case "epoll" -> Epoll.isAvailable();
            default -> true;
        };
    }

    private static URI uri(InetSocketAddress a, String path) {
        return URI.create("http://127.0.0.1:" + a.getPort() + path);
    }
}
