package com.foobar.balancer;

import com.foobar.balancer.config.ConfigLoader;
import com.foobar.balancer.testing.BalancerYaml;
import com.foobar.balancer.testing.RawHttp;
import com.foobar.balancer.testing.TestBackend;
import com.foobar.balancer.upstream.ReloadReport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class BalancerReloadTest {

    @TempDir
    Path dir;
    TestBackend a;
    TestBackend b;
    Balancer balancer;
    Path file;

    @BeforeEach
    void start() throws Exception {
        a = TestBackend.start("a");
        b = TestBackend.start("b");
        file = dir.resolve("balancer.yml");
        Files.writeString(file, BalancerYaml.create().defaultPool("web").pool("web", null, a).build());
        // Explicit reloads only, so the tests do not race the file watcher; one test below turns it on.
        balancer = Balancer.start(ConfigLoader.load(file), file, false);
    }

    @AfterEach
    void stop() {
        balancer.close();
        a.close();
        b.close();
    }

    private String backendOf(RawHttp raw) throws Exception {
        RawHttp.Response r = raw.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read();
        assertThat(r.status()).isEqualTo(200);
        return r.header("x-backend");
    }

    @Test
    void reloadAppliesNewServersWithoutDroppingClientConnections() throws Exception {
        try (RawHttp raw = new RawHttp(balancer.listenerAddress("public"), 5_000)) {
            assertThat(backendOf(raw)).isEqualTo("a");
            Files.writeString(file, BalancerYaml.create().defaultPool("web").pool("web", null, b).build());
            ReloadReport report = balancer.reload();
            assertThat(report.rejected()).isFalse();
            assertThat(report.changed()).isTrue();
            // Same client connection, new server.
            assertThat(backendOf(raw)).isEqualTo("b");
            assertThat(backendOf(raw)).isEqualTo("b");
        }
    }

    @Test
    void reloadAppliesNewWeights() throws Exception {
        Files.writeString(file, BalancerYaml.create().defaultPool("web")
                .pool("web", "    algorithm: weighted-round-robin\n", "a=" + a.address() + ";3",
                        "b=" + b.address() + ";1").build());
        assertThat(balancer.reload().changed()).isTrue();
        int a0 = a.requests();
        int b0 = b.requests();
        try (RawHttp raw = new RawHttp(balancer.listenerAddress("public"), 5_000)) {
            for (int i = 0; i < 40; i++) {
                backendOf(raw);
            }
        }
        assertThat(a.requests() - a0).isEqualTo(30);
        assertThat(b.requests() - b0).isEqualTo(10);
    }

    @Test
    void invalidFileKeepsTheRunningConfigurationAndReportsTheFieldPath() throws Exception {
        Files.writeString(file, BalancerYaml.create().defaultPool("web")
                .pool("web", null, "a=" + a.address(), "b=web-2:80x").build());
        ReloadReport report = balancer.reload();
        assertThat(report.rejected()).isTrue();
        assertThat(report.error()).isEqualTo("pools.web.servers[1].address: \"web-2:80x\" is not host:port");
        try (RawHttp raw = new RawHttp(balancer.listenerAddress("public"), 5_000)) {
            assertThat(backendOf(raw)).isEqualTo("a");
        }
    }

    @Test
    void listenerBindChangeIsReportedAsNeedingARestart() throws Exception {
        Files.writeString(file, BalancerYaml.create().listenerBind("127.0.0.1:1").defaultPool("web")
                .pool("web", null, a).build());
        ReloadReport report = balancer.reload();
        assertThat(report.needsRestart()).isTrue();
        assertThat(report.restartRequired()).anySatisfy(line ->
                assertThat(line).startsWith("listeners.public.bind: 127.0.0.1:0 -> 127.0.0.1:1"));
        // Still serving on the old address.
        try (RawHttp raw = new RawHttp(balancer.listenerAddress("public"), 5_000)) {
            assertThat(backendOf(raw)).isEqualTo("a");
        }
    }

    @Test
    void aWorkersChangeIsReportedAsNeedingARestart() throws Exception {
        Files.writeString(file, BalancerYaml.create().defaultPool("web").pool("web", null, a).build() + "workers: 3\n");
        ReloadReport report = balancer.reload();
        assertThat(report.restartRequired()).contains("workers: auto -> 3 needs a restart");
    }

    @Test
    void listenerGuardChangeIsReportedAsNeedingARestart() throws Exception {
        Files.writeString(file, BalancerYaml.create().topLevel("trusted_proxies: [10.0.0.0/8]\n").defaultPool("web")
                .pool("web", null, a).build());
        ReloadReport report = balancer.reload();
        assertThat(report.restartRequired()).anySatisfy(line ->
                assertThat(line).startsWith("listeners.public: tls/hsts/redirect/firewall/limits"));
    }

    @Test
    void changingTheFileReloadsByItself() throws Exception {
        balancer.close();
        balancer = Balancer.start(ConfigLoader.load(file), file);
        Files.writeString(file, BalancerYaml.create().defaultPool("web").pool("web", null, b).build());
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            try (RawHttp raw = new RawHttp(balancer.listenerAddress("public"), 5_000)) {
                assertThat(backendOf(raw)).isEqualTo("b");
            }
        });
    }

    @Test
    void accessLogFileGetsOneLinePerRequest() throws Exception {
        Path log = dir.resolve("access.log");
        balancer.close();
        Files.writeString(file, BalancerYaml.create().accessLog(log.toString()).defaultPool("web")
                .pool("web", null, a).build());
        balancer = Balancer.start(ConfigLoader.load(file), null);
        try (RawHttp raw = new RawHttp(balancer.listenerAddress("public"), 5_000)) {
            raw.send("GET /hello?x=1 HTTP/1.1\r\nHost: x\r\nX-Request-Id: rid-42\r\n\r\n").read();
        }
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(Files.readAllLines(log))
                .singleElement().satisfies(line -> assertThat(line)
                        .matches("\\S+Z 127\\.0\\.0\\.1:\\d+ public \"GET /hello\\?x=1\" 200 13 \\d+\\.\\d{3}ms "
                                + "web/a \\d+\\.\\d{3}ms 1 rid-42")));
    }
}
