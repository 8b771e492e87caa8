package com.foobar.balancer;

import com.foobar.balancer.testing.BalancerYaml;
import com.foobar.balancer.testing.ForkedBalancer;
import com.foobar.balancer.testing.TestBackend;
import com.foobar.balancer.testing.TestDnsServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

class MainTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private Path config(String yaml) throws Exception {
        Path f = dir.resolve("balancer.yml");
        Files.writeString(f, yaml);
        return f;
    }

    @Test
    void checkOfAValidConfigurationExits0AndSaysConfigurationOk() throws Exception {
        Path f = config(BalancerYaml.create().defaultPool("web")
                .pool("web", null, "web-1=127.0.0.1:8081", "web-2=127.0.0.1:8082").build());
        assertThat(run("--check", "--config", f.toString())).isZero();
        assertThat(out()).startsWith("configuration OK\n").contains("1 listener, 1 pool, 2 servers");
        assertThat(err()).isEmpty();
    }

    @Test
    void checkWarnsOfAServerNameThatDoesNotResolveAndStillSaysOk() throws Exception {
        try (TestDnsServer dns = TestDnsServer.start()) {
            dns.set("web-1.test", 60, "127.0.0.1");
            Path f = config("""
                    listeners: [{ name: public, bind: 127.0.0.1:0, default_pool: web }]
                    dns: { nameservers: [%s], timeout: 500ms }
                    pools:
                      web:
                        servers:
                          - { name: web-1, address: web-1.test:8081 }
                          - { name: web-2, address: web-2.test:8082 }
                          - { name: web-3, address: 127.0.0.1:8083 }
                    """.formatted(dns.address()));

            assertThat(run("--check", "--config", f.toString())).isZero();

            assertThat(out()).startsWith("configuration OK\n");
            assertThat(err().lines().toList()).singleElement().asString()
                    .startsWith("warning: pools.web.servers[1].address: \"web-2.test:8082\" does not resolve now (")
                    .endsWith("); the balancer keeps asking, and the server takes no requests until it does");
        }
    }

    @Test
    void invalidConfigurationExits2WithTheFieldPathAndNoStackTrace() throws Exception {
        Path f = config(BalancerYaml.create().defaultPool("web")
                .pool("web", null, "web-1=127.0.0.1:8081", "web-2=web-2:80x").build());
        assertThat(run("--check", "--config", f.toString())).isEqualTo(2);
        assertThat(err()).startsWith("pools.web.servers[1].address: \"web-2:80x\" is not host:port\n")
                .doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(out()).isEmpty();
    }

    @Test
    void withoutCheckAnInvalidConfigurationAlsoExits2() throws Exception {
        Path f = config("listeners: []\npools: {}\n");
        assertThat(run("--config", f.toString())).isEqualTo(2);
        assertThat(err()).doesNotContain("Exception");
    }

    @Test
    void missingConfigFileExits2WithAReason() {
        assertThat(run("--check", "--config", dir.resolve("nope.yml").toString())).isEqualTo(2);
        assertThat(err()).contains("nope.yml").doesNotContain("\tat ");
    }

    @Test
    void usageErrorsExit2AndHelpExits0() {
        assertThat(run()).isEqualTo(2);
        assertThat(err()).contains("--config FILE");
        assertThat(run("--frobnicate")).isEqualTo(2);
        assertThat(run("--help")).isZero();
        assertThat(out()).contains("usage: java -jar balancer.jar --config FILE [--check]");
    }

    @Test
    void addressInUseExits1WithAOneLineReason() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Path f = config(BalancerYaml.create().listenerBind("127.0.0.1:" + taken.getLocalPort())
                    .defaultPool("web").pool("web", null, "web-1=127.0.0.1:8081").build());
            assertThat(run("--config", f.toString())).isEqualTo(1);
            // One plain reason, whatever the transport (io_uring and epoll word it as their system call).
            assertThat(err()).isEqualTo("cannot start: listener public: cannot bind 127.0.0.1:"
                    + taken.getLocalPort() + ": address already in use\n");
        }
    }

    @Test
    void forkedCheckExitStatusIs2ForAnInvalidFile() throws Exception {
        Path f = config(BalancerYaml.create().defaultPool("web")
                .pool("web", null, "web-1=127.0.0.1:8081", "web-2=web-2:80x").build());
        ForkedBalancer p = ForkedBalancer.start(List.of(), "--check", "--config", f.toString());
        assertThat(p.waitFor(Duration.ofSeconds(30))).isEqualTo(2);
        assertThat(p.stderr()).first().isEqualTo("pools.web.servers[1].address: \"web-2:80x\" is not host:port");
    }

    @Test
    void sigtermLetsTheRequestInFlightFinishAndSighupReloads() throws Exception {
        assumeFalse(sighupIgnored(), "SIGHUP is ignored in this JVM (started under nohup?): the forked balancer "
                + "inherits that, says so, and cannot reload on it");
        try (TestBackend backend = TestBackend.start("web-1")) {
            Path f = config(BalancerYaml.create().defaultPool("web").pool("web", null, backend).build());
            ForkedBalancer p = ForkedBalancer.start(List.of("-Xmx64m"), "--config", f.toString());
            try {
                InetSocketAddress a = p.awaitListener("public", Duration.ofSeconds(30));
                assertThat(p.stdout()).anySatisfy(l -> assertThat(l).startsWith("  admin ").contains("/metrics"));
                assertThat(p.stdout()).anySatisfy(l -> assertThat(l).contains("web-1").contains(backend.address()));

                new ProcessBuilder("kill", "-HUP", Long.toString(p.pid())).start().waitFor(5, TimeUnit.SECONDS);
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                        assertThat(p.stdout()).anySatisfy(l -> assertThat(l).startsWith("reload (SIGHUP)")));

                HttpClient client = HttpClient.newHttpClient();
                CompletableFuture<HttpResponse<String>> inFlight = client.sendAsync(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + a.getPort() + "/delay?ms=1500")).build(),
                        HttpResponse.BodyHandlers.ofString());
                await().atMost(Duration.ofSeconds(5)).until(() -> backend.requests() > 0);
                new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start().waitFor(5, TimeUnit.SECONDS);
                HttpResponse<String> r = inFlight.get(10, TimeUnit.SECONDS);
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.body()).startsWith("delayed 1500ms");
                // The JVM reports death by SIGTERM as 128 + 15, after the shutdown hook's graceful stop.
                assertThat(p.waitFor(Duration.ofSeconds(15))).isEqualTo(143);
                assertThat(p.stdout()).contains("stopped");
            } finally {
                p.close();
            }
        }
    }

    /** Whether this process ignores SIGHUP (bit 1 of SigIgn), which a child it forks inherits. */
    private static boolean sighupIgnored() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return false;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("SigIgn:")) {
                return (Long.parseUnsignedLong(line.substring("SigIgn:".length()).trim(), 16) & 1L) != 0;
            }
        }
        return false;
    }

    @Test
    void sigusr1ReopensTheAccessLogThatLogrotateMovedAway() throws Exception {
        Path log = dir.resolve("access.log");
        Path rotated = dir.resolve("access.log.1");
        try (TestBackend backend = TestBackend.start("web-1"); ForkedBalancer p = forkedWithAccessLog(backend, log)) {
            HttpClient client = HttpClient.newHttpClient();
            int port = rotateAfterFirstRequest(p, client, log, rotated, () -> { });

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(p.stdout())
                    .contains("SIGUSR1: reopening the access log " + log));
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(log));
            URI second = URI.create("http://127.0.0.1:" + port + "/second");
            client.send(HttpRequest.newBuilder(second).build(), HttpResponse.BodyHandlers.discarding());
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(log).contains("/second"));
            assertThat(Files.readString(rotated)).contains("/first").doesNotContain("/second");
            assertThat(p.isAlive()).isTrue();
        }
    }

    @Test
    void anAccessLogThatCannotBeReopenedIsLoggedInOneLineAsAnError() throws Exception {
        Path logs = Files.createDirectory(dir.resolve("logs"));
        Path log = logs.resolve("access.log");
        try (TestBackend backend = TestBackend.start("web-1"); ForkedBalancer p = forkedWithAccessLog(backend, log)) {
            // Rotated away with its directory: the file cannot be opened again by its name.
            rotateAfterFirstRequest(p, HttpClient.newHttpClient(), log, dir.resolve("access.log.1"),
                    () -> Files.delete(logs));

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(p.stderr()).anySatisfy(l ->
                    assertThat(l).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} ERROR"
                            + " AsyncAccessLogWriter: access log: cannot reopen " + Pattern.quote(log.toString())
                            + ", still writing to the file open before: .+")));
            assertThat(p.stderr()).noneMatch(l -> l.startsWith("\tat "));
            assertThat(p.isAlive()).isTrue();
        }
    }

    private ForkedBalancer forkedWithAccessLog(TestBackend backend, Path log) throws Exception {
        Path f = config(BalancerYaml.create().accessLog(log.toString()).defaultPool("web").pool("web", null, backend)
                .build());
        return ForkedBalancer.start(List.of("-Xmx64m"), "--config", f.toString());
    }

    /** What else happens to the files before the signal. */
    private interface FileChange {
        void run() throws IOException;
    }

    /**
     * As logrotate: once a request (/first) is in {@code log}, moves it to {@code rotated}, applies {@code alsoBefore},
     * then sends SIGUSR1. Returns the balancer's public port.
     */
    private static int rotateAfterFirstRequest(ForkedBalancer p, HttpClient client, Path log, Path rotated,
                                               FileChange alsoBefore) throws Exception {
        InetSocketAddress a = p.awaitListener("public", Duration.ofSeconds(30));
        URI first = URI.create("http://127.0.0.1:" + a.getPort() + "/first");
        assertThat(client.send(HttpRequest.newBuilder(first).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(log).contains("/first"));
        Files.move(log, rotated);
        alsoBefore.run();
        new ProcessBuilder("kill", "-USR1", Long.toString(p.pid())).start().waitFor(5, TimeUnit.SECONDS);
        return a.getPort();
    }
}
