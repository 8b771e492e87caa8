package com.foobar.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.foobar.balancer.Balancer;
import com.foobar.balancer.config.ConfigLoader;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The console lines the stack prints from a real balancer's {@code /api/events}, over its admin listener. */
class BalancerEventFeedTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private final List<String> console = new CopyOnWriteArrayList<>();
    private HttpServer web;
    private Balancer balancer;
    private BalancerEventFeed feed;

    @AfterEach
    void stop() {
        if (feed != null) {
            feed.close();
        }
        if (balancer != null) {
            balancer.close();
        }
        if (web != null) {
            web.stop(0);
        }
    }

    private void startWeb(int port) throws Exception {
        web = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        web.createContext("/", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        web.start();
    }

    private Path config(int webPort, int adminPort) throws Exception {
        Path file = dir.resolve("balancer.yml");
        Files.writeString(file, """
                listeners:
                  - name: public
                    bind: 127.0.0.1:0
                    default_pool: web
                admin:
                  bind: 127.0.0.1:%d
                pools:
                  web:
                    servers:
                      - name: web-1
                        address: 127.0.0.1:%d
                    health_check:
                      path: /health
                      interval: 100ms
                      rise: 1
                      fall: 1
                """.formatted(adminPort, webPort));
        return file;
    }

    private void startBalancer(Path file) throws Exception {
        balancer = Balancer.start(ConfigLoader.load(file), file);
    }

    private void startFeed() {
        BalancerStatus status = new BalancerStatus("127.0.0.1:" + balancer.adminAddress().getPort());
        feed = new BalancerEventFeed(status, console::add);
        feed.poll(); // the first poll only notes where the news begins
        feed.start();
    }

    @Test
    void eachKindOfEventIsOneLineNamingWhatItIsAbout() {
        java.time.Instant at = java.time.Instant.parse("2026-12-06T21:00:00Z");
        assertThat(BalancerEventFeed.consoleLine(new com.foobar.balancer.events.BalancerEvent(1, at, "server",
                "web/web-1", "is DOWN: connection refused"))).isEqualTo("   balancer: web/web-1 is DOWN: connection refused");
        assertThat(BalancerEventFeed.consoleLine(new com.foobar.balancer.events.BalancerEvent(2, at, "reload", "",
                "applied: pools.web.algorithm: round-robin -> least-connections")))
                .isEqualTo("   balancer: reload applied: pools.web.algorithm: round-robin -> least-connections");
        assertThat(BalancerEventFeed.consoleLine(new com.foobar.balancer.events.BalancerEvent(3, at, "tls",
                "listener https", "reloaded its certificates (www.foobar.com)")))
                .isEqualTo("   balancer: tls listener https reloaded its certificates (www.foobar.com)");
    }

    @Test
    void aServerGoingDownAndComingBackIsToldButTheStartIsNot() throws Exception {
        startWeb(0);
        startBalancer(config(web.getAddress().getPort(), 0));
        await().atMost(WAIT).until(() -> balancer.upstreams().pool("web").server("web-1").state().json().equals("up"));
        startFeed();
        int port = web.getAddress().getPort();

        web.stop(0);
        await().atMost(WAIT).untilAsserted(() -> assertThat(console)
                .anyMatch(l -> l.startsWith("   balancer: web/web-1 is DOWN: ")));
        startWeb(port);
        await().atMost(WAIT).untilAsserted(() -> assertThat(console)
                .anyMatch(l -> l.startsWith("   balancer: web/web-1 is UP: ")));

        assertThat(console).as("only what happened after the feed began").hasSize(2);
    }

    @Test
    void aReloadIsToldAppliedOrRejectedWithTheFieldPath() throws Exception {
        startWeb(0);
        Path file = config(web.getAddress().getPort(), 0);
        startBalancer(file);
        startFeed();

        Files.writeString(file, Files.readString(file).replace("interval: 100ms", "interval: soon"));
        balancer.reload();
        await().atMost(WAIT).untilAsserted(() -> assertThat(console).contains("   balancer: reload rejected, keeping"
                + " the running configuration: pools.web.health_check.interval: \"soon\" is not a duration like 500ms,"
                + " 1s, 2m or 1h30m"));

        Files.writeString(file, Files.readString(file).replace("interval: soon", "interval: 200ms"));
        balancer.reload();
        await().atMost(WAIT).untilAsserted(() -> assertThat(console)
                .anyMatch(l -> l.startsWith("   balancer: reload applied: ") && l.contains("health_check")));
    }

    @Test
    void aRestartedBalancerIsFollowedFromItsFirstEvent() throws Exception {
        startWeb(0);
        Path file = config(web.getAddress().getPort(), 0);
        balancer = Balancer.start(ConfigLoader.load(file), null); // no file watcher: one event per apply
        int admin = balancer.adminAddress().getPort();
        startFeed();
        balancer.apply(ConfigLoader.parse(Files.readString(file).replace("interval: 100ms", "interval: 200ms")));
        balancer.apply(ConfigLoader.parse(Files.readString(file).replace("interval: 100ms", "interval: 300ms")));
        await().atMost(WAIT).untilAsserted(() -> assertThat(applied()).isEqualTo(2));

        balancer.close();
        Path again = config(web.getAddress().getPort(), admin); // on the admin port the feed asks
        balancer = Balancer.start(ConfigLoader.load(again), null);
        balancer.apply(ConfigLoader.parse(Files.readString(again).replace("interval: 100ms", "interval: 400ms")));

        // Numbered 1 by the new balancer, below what the feed saw from the old one, and still told.
        await().atMost(WAIT).untilAsserted(() -> assertThat(applied()).isEqualTo(3));
    }

    private long applied() {
        return console.stream().filter(l -> l.startsWith("   balancer: reload applied: ")).count();
    }
}
