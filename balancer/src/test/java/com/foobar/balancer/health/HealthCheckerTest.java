package com.foobar.balancer.health;

import com.foobar.balancer.config.HealthCheckConfig;
import com.foobar.balancer.config.HostPort;
import com.foobar.balancer.config.StatusRanges;
import com.foobar.balancer.metrics.BalancerMetrics;
import com.foobar.balancer.testing.TestBackend;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class HealthCheckerTest {
    private static EventLoopGroup group;
    private final BalancerMetrics metrics = new BalancerMetrics();
    private HealthChecker checker;
    private TestBackend backend;

    @BeforeAll
    static void startLoop() {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    }

    @AfterAll
    static void stopLoop() {
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    @AfterEach
    void stop() throws Exception {
        if (checker != null) {
            checker.close();
        }
        if (backend != null) {
            backend.close();
        }
    }

    private static HealthCheckConfig check(int rise, int fall, String expect, String host, Duration timeout) {
        return new HealthCheckConfig("/health", Duration.ofMillis(50), timeout, rise, fall, StatusRanges.parse(expect), host);
    }

    /** Records each verdict with how many checks the backend had answered at that moment. */
    static final class RecordingTarget implements HealthCheckTarget {
        final HostPort address;
        final IntSupplier checksSoFar;
        final List<String> transitions = new CopyOnWriteArrayList<>();
        volatile boolean healthy = true;

        RecordingTarget(HostPort address, IntSupplier checksSoFar) {
            this.address = address;
            this.checksSoFar = checksSoFar;
        }

        @Override
        public String poolName() {
            return "web";
        }

        @Override
        public String name() {
            return "web-1";
        }

        @Override
        public HostPort address() {
            return address;
        }

        @Override
        public InetSocketAddress socketAddress() {
            return new InetSocketAddress(address.host(), address.port());
        }

        @Override
        public boolean healthy() {
            return healthy;
        }

        @Override
        public void healthChanged(boolean nowHealthy, String reason) {
            healthy = nowHealthy;
            transitions.add((nowHealthy ? "UP" : "DOWN") + " after " + checksSoFar.getAsInt() + " checks: " + reason);
        }
    }

    @Test
    void goesDownAfterFallFailuresAndUpAfterRisePasses() throws Exception {
        backend = TestBackend.start("web-1");
        RecordingTarget target = new RecordingTarget(HostPort.parse(backend.address()), backend::healthChecks);
        checker = new HealthChecker(group, metrics);
        checker.watch(target, check(2, 3, "200-399", null, Duration.ofSeconds(1)));
        await().atMost(Duration.ofSeconds(5)).until(() -> backend.healthChecks() >= 3);
        assertThat(target.transitions).isEmpty();

        int before = backend.healthChecks();
        backend.healthStatus(503);
        await().atMost(Duration.ofSeconds(5)).until(() -> !target.healthy);
        // A check can be in flight when the status flips; at most one of the failures is not counted.
        String down = target.transitions.get(0);
        int checksAtDown = Integer.parseInt(down.split(" ")[2]);
        assertThat(checksAtDown - before).isBetween(3, 4);
        assertThat(down).endsWith("3 check(s) failed, last: status 503 is not in 200-399");

        int downAt = backend.healthChecks();
        backend.healthStatus(200);
        await().atMost(Duration.ofSeconds(5)).until(() -> target.healthy);
        int checksAtUp = Integer.parseInt(target.transitions.get(1).split(" ")[2]);
        assertThat(checksAtUp - downAt).isBetween(2, 3);
        assertThat(target.transitions).hasSize(2);
        assertThat(metrics.scrape())
                .contains("balancer_health_checks_total{pool=\"web\",result=\"failed\",server=\"web-1\"}")
                .contains("balancer_health_checks_total{pool=\"web\",result=\"passed\",server=\"web-1\"}");
    }

    @Test
    void sendsTheHostHeaderOfTheServerAddressOrTheConfiguredOne() throws Exception {
        backend = TestBackend.start("web-1");
        RecordingTarget target = new RecordingTarget(HostPort.parse(backend.address()), backend::healthChecks);
        checker = new HealthChecker(group, metrics);
        checker.watch(target, check(1, 1, "200", null, Duration.ofSeconds(1)));
        await().atMost(Duration.ofSeconds(5)).until(() -> backend.lastHealthHost() != null);
        assertThat(backend.lastHealthHost()).isEqualTo(backend.address());
        assertThat(backend.lastHealthPath()).isEqualTo("/health");

        checker.watch(target, check(1, 1, "200", "www.foobar.com", Duration.ofSeconds(1)));
        await().atMost(Duration.ofSeconds(5)).until(() -> "www.foobar.com".equals(backend.lastHealthHost()));
    }

    @Test
    void aServerDeadAtStartGoesDownOnItsFirstFailedCheck() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        RecordingTarget target = new RecordingTarget(new HostPort("127.0.0.1", port), () -> 0);
        checker = new HealthChecker(group, metrics);
        checker.watch(target, check(2, 3, "200-399", null, Duration.ofSeconds(1)));
        await().atMost(Duration.ofSeconds(5)).until(() -> !target.healthy);
        assertThat(target.transitions).containsExactly("DOWN after 0 checks: 1 check(s) failed, last: connection refused");
        assertThat(metrics.scrape())
                .contains("balancer_health_checks_total{pool=\"web\",result=\"failed\",server=\"web-1\"}");
    }

    @Test
    void anAnswerOutsideExpectStatusFails() throws Exception {
        backend = TestBackend.start("web-1");
        backend.healthStatus(204);
        RecordingTarget target = new RecordingTarget(HostPort.parse(backend.address()), backend::healthChecks);
        checker = new HealthChecker(group, metrics);
        checker.watch(target, check(1, 1, "200,204", null, Duration.ofSeconds(1)));
        await().atMost(Duration.ofSeconds(5)).until(() -> backend.healthChecks() >= 3);
        assertThat(target.healthy).isTrue();

        backend.healthStatus(302);
        await().atMost(Duration.ofSeconds(5)).until(() -> !target.healthy);
        assertThat(target.transitions.get(0)).endsWith("status 302 is not in 200,204");
    }

    @Test
    void aServerThatDoesNotAnswerWithinTheTimeoutFails() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            List<Socket> accepted = new CopyOnWriteArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept()); // accept, read nothing, answer nothing
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            RecordingTarget target = new RecordingTarget(new HostPort("127.0.0.1", silent.getLocalPort()), accepted::size);
            checker = new HealthChecker(group, metrics);
            // 1 s, not less: on a loaded machine a shorter check timeout can fire before the loopback connect is
            // processed, and the reason is then "connect timed out", not the silence this test is about.
            checker.watch(target, check(1, 1, "200-399", null, Duration.ofSeconds(1)));
            await().atMost(Duration.ofSeconds(5)).until(() -> !target.healthy);
            assertThat(target.transitions.get(0)).endsWith("no answer within 1s");
            for (Socket s : accepted) {
                s.close();
            }
        }
    }

    @Test
    void unwatchStopsChecking() throws Exception {
        backend = TestBackend.start("web-1");
        RecordingTarget target = new RecordingTarget(HostPort.parse(backend.address()), backend::healthChecks);
        checker = new HealthChecker(group, metrics);
        checker.watch(target, check(1, 1, "200", null, Duration.ofSeconds(1)));
        await().atMost(Duration.ofSeconds(5)).until(() -> backend.healthChecks() >= 2);
        checker.unwatch(target);
        int after = backend.healthChecks();
        // Stopped means no check for several intervals; at most one was already under way.
        await().during(Duration.ofMillis(400)).atMost(Duration.ofSeconds(2))
                .until(() -> backend.healthChecks() <= after + 1);
    }

    @Test
    void closingAfterTheEventLoopsStoppedIsQuiet() throws Exception {
        backend = TestBackend.start("web-1");
        EventLoopGroup own = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        HealthChecker ownChecker = new HealthChecker(own, metrics);
        RecordingTarget target = new RecordingTarget(HostPort.parse(backend.address()), backend::healthChecks);
        ownChecker.watch(target, check(1, 1, "200", null, Duration.ofSeconds(1)));
        await().atMost(Duration.ofSeconds(5)).until(() -> backend.healthChecks() >= 1);
        own.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        ownChecker.unwatch(target);
        ownChecker.close();
        ownChecker.watch(target, check(2, 2, "200", null, Duration.ofSeconds(1)));
    }
}
