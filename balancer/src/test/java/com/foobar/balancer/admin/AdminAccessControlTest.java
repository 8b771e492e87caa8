package com.foobar.balancer.admin;

import com.foobar.balancer.config.AdminConfig;
import com.foobar.balancer.config.Cidr;
import com.foobar.balancer.config.ConfigLoader;
import com.foobar.balancer.config.HostPort;
import com.foobar.balancer.metrics.BalancerMetrics;
import com.foobar.balancer.upstream.Upstreams;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AdminAccessControlTest {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static EventLoopGroup group;
    private static BalancerMetrics metrics;
    private static Upstreams upstreams;

    @BeforeAll
    static void start() throws Exception {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        metrics = new BalancerMetrics();
        upstreams = Upstreams.start(ConfigLoader.parse("""
                listeners: [ { name: public, bind: 127.0.0.1:0, default_pool: web } ]
                pools: { web: { servers: [ { name: web-1, address: 127.0.0.1:8081 } ] } }
                """), metrics, group);
    }

    @AfterAll
    static void stop() {
        upstreams.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static HttpResponse<String> status(AdminServer admin) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin.localAddress().getPort()
                + "/api/status")).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertClosedWithoutAnswer(AdminServer admin) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(admin.localAddress(), 5_000);
            s.setSoTimeout(5_000);
            try {
                s.getOutputStream().write("GET /api/status HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(s.getInputStream().read()).isEqualTo(-1);
            } catch (SocketException reset) {
                // closed before the request was written or read: refused at accept, as it should be
            }
        }
    }

    @Test
    void loopbackIsAllowedByDefault() throws Exception {
        AdminServer admin = AdminServer.start(new AdminConfig(new HostPort("127.0.0.1", 0)), upstreams, metrics, group);
        try {
            assertThat(status(admin).statusCode()).isEqualTo(200);
        } finally {
            admin.close();
        }
    }

    @Test
    void aClientOutsideTheAllowListIsClosedAtAcceptAndCounted() throws Exception {
        AdminConfig onlyTen = new AdminConfig(new HostPort("127.0.0.1", 0), List.of(Cidr.parse("10.0.0.0/8")), List.of());
        AdminServer admin = AdminServer.start(onlyTen, upstreams, metrics, group);
        try {
            assertClosedWithoutAnswer(admin);
            assertThat(metrics.scrape()).contains("balancer_connections_refused_total{listener=\"admin\",reason=\"acl\"} 1.0");
        } finally {
            admin.close();
        }
        AdminConfig denyLoopback = new AdminConfig(new HostPort("127.0.0.1", 0), AdminConfig.DEFAULT_ALLOW,
                List.of(Cidr.parse("127.0.0.1")));
        AdminServer denied = AdminServer.start(denyLoopback, upstreams, metrics, group);
        try {
            assertThatThrownBy(() -> status(denied)).isInstanceOf(IOException.class);
        } finally {
            denied.close();
        }
    }
}
