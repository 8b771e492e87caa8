package com.foobar.balancer.upstream;

import com.foobar.balancer.config.ConfigLoader;
import com.foobar.balancer.lb.RequestContext;
import com.foobar.balancer.metrics.BalancerMetrics;
import com.foobar.balancer.testing.TestBackend;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Pools whose servers are watched by real health checks against real backends. */
class UpstreamsHealthCheckTest {
    private EventLoopGroup group;
    private TestBackend web1;
    private TestBackend web2;
    private TestBackend sorry;
    private Upstreams upstreams;
    private final BalancerMetrics metrics = new BalancerMetrics();

    @BeforeEach
    void start() throws Exception {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        web1 = TestBackend.start("web-1");
        web2 = TestBackend.start("web-2");
        sorry = TestBackend.start("sorry");
    }

    @AfterEach
    void stop() throws Exception {
        if (upstreams != null) {
            upstreams.close();
        }
        web1.close();
        web2.close();
        sorry.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private String yaml(String healthCheck) {
        return """
                listeners: [{ name: public, bind: 127.0.0.1:0, default_pool: web }]
                admin: { bind: 127.0.0.1:0 }
                pools:
                  web:
                    servers:
                      - { name: web-1, address: %s }
                      - { name: web-2, address: %s }
                      - { name: sorry, address: %s, backup: true }
                %s""".formatted(web1.address(), web2.address(), sorry.address(), healthCheck);
    }

    private Set<String> picks(int n) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < n; i++) {
            UpstreamServer s = upstreams.pool("web").select(RequestContext.EMPTY, Set.of());
            seen.add(s == null ? "none" : s.name());
        }
        return seen;
    }

    @Test
    void backupTakesOverWhenHealthChecksFailEveryPrimaryAndGivesBack() throws Exception {
        upstreams = Upstreams.start(ConfigLoader.parse(yaml(
                // A failing check here is an immediate 500/503, so a long timeout costs nothing; a short one let a
                // healthy server fall on a loaded machine.
                "    health_check: { path: /health, interval: 50ms, timeout: 3s, rise: 2, fall: 2 }\n")), metrics, group);
        UpstreamPool pool = upstreams.pool("web");
        await().atMost(Duration.ofSeconds(5)).until(() -> web1.healthChecks() >= 2 && sorry.healthChecks() >= 2);
        assertThat(picks(10)).containsExactlyInAnyOrder("web-1", "web-2");

        web1.healthStatus(500);
        await().atMost(Duration.ofSeconds(5)).until(() -> pool.server("web-1").state() == ServerState.DOWN);
        assertThat(picks(10)).containsExactly("web-2");

        web2.healthStatus(503);
        await().atMost(Duration.ofSeconds(5)).until(() -> pool.server("web-2").state() == ServerState.DOWN);
        assertThat(picks(10)).containsExactly("sorry");
        assertThat(metrics.scrape()).contains("balancer_server_up{pool=\"web\",server=\"web-2\"} 0.0");

        web2.healthStatus(200);
        await().atMost(Duration.ofSeconds(5)).until(() -> pool.server("web-2").state() == ServerState.UP);
        assertThat(picks(10)).containsExactly("web-2");
    }

    @Test
    void reloadThatDropsHealthChecksBringsDownServersBackAndStopsChecking() throws Exception {
        upstreams = Upstreams.start(ConfigLoader.parse(yaml(
                "    health_check: { path: /health, interval: 50ms, timeout: 1s, rise: 2, fall: 1 }\n")), metrics, group);
        web1.healthStatus(503);
        await().atMost(Duration.ofSeconds(5)).until(() -> upstreams.pool("web").server("web-1").state() == ServerState.DOWN);

        ReloadReport report = upstreams.apply(ConfigLoader.parse(yaml("")));
        assertThat(report.applied()).containsExactly("pools.web.health_check: changed");
        assertThat(upstreams.pool("web").server("web-1").state()).isEqualTo(ServerState.UP);
        int checks = web1.healthChecks();
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> web1.healthChecks() <= checks + 1);
    }
}
