package com.foobar.balancer.admin;

import com.foobar.balancer.config.AdminConfig;
import com.foobar.balancer.metrics.BalancerMetrics;
import com.foobar.balancer.upstream.Upstreams;
import com.foobar.balancer.firewall.Firewall;
import com.foobar.balancer.transport.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.ReadTimeoutHandler;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The admin listener on {@code admin.bind}: {@code GET /metrics} (Prometheus), {@code GET /api/status} (JSON),
 * {@code POST /api/pools/{pool}/servers/{server}/drain|enable}, and {@code GET /} (a dashboard polling the status).
 * It shares the balancer's event loops; everything it does is small.
 */
public final class AdminServer implements AutoCloseable {
    /** Admin requests carry no bodies worth the name. */
    static final int MAX_REQUEST_BYTES = 64 * 1024;
    static final int IDLE_TIMEOUT_SECONDS = 60;

    private final Channel channel;
    private final ChannelGroup connections;

    private AdminServer(Channel channel, ChannelGroup connections) {
        this.channel = channel;
        this.connections = connections;
    }

    /**
     * Binds {@code cfg.bind()} and serves.
     *
     * @throws AdminBindException when the address cannot be bound (in use, not local, no permission)
     */
    public static AdminServer start(AdminConfig cfg, Upstreams upstreams, BalancerMetrics metrics, EventLoopGroup group)
            throws InterruptedException {
        AdminHandler handler = new AdminHandler(upstreams, metrics, dashboard());
        ChannelGroup connections = new DefaultChannelGroup("admin", GlobalEventExecutor.INSTANCE);
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(Transport.of(group).serverChannelType())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        connections.add(ch);
                        ch.pipeline().addLast(
                                new ReadTimeoutHandler(IDLE_TIMEOUT_SECONDS, TimeUnit.SECONDS),
                                new HttpServerCodec(),
                                new HttpObjectAggregator(MAX_REQUEST_BYTES),
                                handler);
                        Firewall.installAdminGuard(ch.pipeline(), cfg, metrics);
                    }
                });
        ChannelFuture f = b.bind(cfg.bind().host(), cfg.bind().port()).await();
        if (!f.isSuccess()) {
            throw new AdminBindException(cfg.bind(), f.cause());
        }
        return new AdminServer(f.channel(), connections);
    }


    private static byte[] dashboard() {
        try (InputStream in = AdminServer.class.getResourceAsStream("dashboard.html")) {
            if (in == null) {
                throw new IllegalStateException("dashboard.html is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The bound address (with the real port when the configuration asked for port 0). */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    @Override
    public void close() {
        if (channel.eventLoop().isShuttingDown()) {
            return; // the event loops close their channels themselves
        }
        channel.close().awaitUninterruptibly();
        connections.close().awaitUninterruptibly();
    }
}
