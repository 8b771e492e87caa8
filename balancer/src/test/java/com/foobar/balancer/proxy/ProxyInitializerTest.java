package com.foobar.balancer.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.foobar.balancer.accesslog.AccessLog;
import com.foobar.balancer.config.BalancerConfig;
import com.foobar.balancer.config.ClientTimeouts;
import com.foobar.balancer.config.ConfigLoader;
import com.foobar.balancer.config.ListenerConfig;
import com.foobar.balancer.metrics.BalancerMetrics;
import com.foobar.balancer.transport.Transport;
import com.foobar.balancer.upstream.Upstreams;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client pipeline has the handlers, in the order, that the builder's class comment shows. */
class ProxyInitializerTest {

    @TempDir
    Path dir;
    BalancerConfig config;
    Upstreams upstreams;
    ProxyContext proxy;
    ListenerGuards guards;

    @BeforeEach
    void start() throws Exception {
        config = ConfigLoader.parse("""
                data_dir: "%s"
                listeners:
                  - name: everything
                    bind: 127.0.0.1:0
                    default_pool: web
                    tls: { auto: [localhost], alpn: [h2, http/1.1] }
                    hsts: max-age=31536000
                    allow: [127.0.0.0/8]
                    max_connections_per_ip: 10
                    rate_limit: { requests_per_second: 5, burst: 10 }
                    headers_with_underscores: reject
                    max_body_size: 1k
                  - name: plain
                    bind: 127.0.0.1:0
                    default_pool: web
                    redirect_to_https: 443
                pools: { web: { servers: [{ name: a, address: 127.0.0.1:1 }] } }
                """.formatted(dir.resolve("data")));
        BalancerMetrics metrics = new BalancerMetrics();
        upstreams = Upstreams.start(config, metrics, null);
        proxy = new ProxyContext(upstreams, metrics, AccessLog.OFF, Transport.named("nio"), ClientTimeouts.DEFAULT);
        guards = ListenerGuards.create(config, metrics, new PrintStream(OutputStream.nullOutputStream()));
    }

    @AfterEach
    void stop() {
        guards.close();
        upstreams.close();
    }

    /** The handler names of a new connection's pipeline, built but not yet running. */
    private List<String> pipeline(ListenerConfig listener) {
        EmbeddedChannel ch = new EmbeddedChannel(false, false);
        ListenerState state = new ListenerState(listener, new DefaultChannelGroup(GlobalEventExecutor.INSTANCE));
        new ProxyInitializer(proxy, state, listener, guards).initChannel(ch);
        // Without EmbeddedChannel's own handler and the pipeline's tail, both named after their classes.
        return ch.pipeline().names().stream().filter(n -> !n.contains("$")).toList();
    }

    @Test
    void aListenerWithEveryGuardGetsThemInTheBuildersOrder() {
        assertThat(pipeline(config.listeners().get(0))).containsExactly(
                "firewall-acl", "firewall-connection-limit",
                "tls", "alpn",
                "client-timeouts",
                "http-obs-fold", "http",
                "hsts", "http-checks", "http-body-limit",
                "firewall-rate-limit", "firewall-forwarded-headers",
                "proxy");
    }

    @Test
    void aPlainListenerGetsTheGuardsThatAreAlwaysOnAndItsRedirect() {
        assertThat(pipeline(config.listeners().get(1))).containsExactly(
                "client-timeouts", "http-obs-fold", "http", "http-checks", "firewall-forwarded-headers",
                "https-redirect", "proxy");
    }

    @Test
    void aListenerAddedByAReloadRunsTheProxysOwnHandlersUntilTheNextRestart() throws Exception {
        ListenerConfig added = ConfigLoader.parse("""
                listeners: [{ name: added, bind: 127.0.0.1:0, default_pool: web }]
                pools: { web: { servers: [{ name: a, address: 127.0.0.1:1 }] } }
                """).listeners().get(0);

        assertThat(pipeline(added)).containsExactly("client-timeouts", "http", "proxy");
    }
}
