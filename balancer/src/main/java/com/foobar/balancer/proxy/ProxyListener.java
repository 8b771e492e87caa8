package com.foobar.balancer.proxy;

import com.foobar.balancer.config.ListenerConfig;
import com.foobar.balancer.transport.SocketErrors;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One client-facing listener: binds its address and proxies what arrives. Routes can be swapped while it runs; its
 * bind address cannot (that takes a restart).
 */
public final class ProxyListener implements AutoCloseable {

    /** Names of the proxy's own handlers in a client pipeline. */
    public static final String CLIENT_TIMEOUTS = "client-timeouts";
    public static final String HTTP_CODEC = "http";
    public static final String PROXY = "proxy";
    /** On an HTTP/2 stream's pipeline: frames to HTTP/1.1 objects, in front of {@link #HTTP_CODEC}. */
    public static final String H2_STREAM_CODEC = "h2-stream-codec";

    /** Accept backlog, as HAProxy's default maxconn-sized queue. */
    static final int BACKLOG = 1024;
    /** Outbound buffering per connection before reads on the other side pause. */
    static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(32 * 1024, 64 * 1024);

    private final ListenerConfig config;
    private final ListenerState state;
    private final Channel serverChannel;

    private ProxyListener(ListenerConfig config, ListenerState state, Channel serverChannel) {
        this.config = config;
        this.state = state;
        this.serverChannel = serverChannel;
    }

    /**
     * Binds the listener; each client pipeline gets the listener's {@code guards} (TLS, ACLs, rate limits, request
     * checks), in the order {@link ProxyInitializer} shows.
     *
     * @throws ListenerBindException when the address cannot be bound
     */
    public static ProxyListener start(ListenerConfig config, ProxyContext proxy, EventLoopGroup workers,
            ListenerGuards guards) {
        ChannelGroup clients = new DefaultChannelGroup("listener-" + config.name(), GlobalEventExecutor.INSTANCE);
        ListenerState state = new ListenerState(config, clients);
        ServerBootstrap b = new ServerBootstrap()
                // Accepted on the worker loops, as HAProxy's threads do: a separate acceptor thread handed every new
                // connection across threads (a task and a wake-up per accept, 17 µs of CPU each in bench/).
                .group(workers, workers)
                .channel(proxy.transport().serverChannelType())
                .option(ChannelOption.SO_BACKLOG, BACKLOG)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .childHandler(new ProxyInitializer(proxy, state, config, guards));
        ChannelFuture f = b.bind(config.bind().host(), config.bind().port()).awaitUninterruptibly();
        if (!f.isSuccess()) {
            Throwable cause = f.cause();
            throw new ListenerBindException("listener " + config.name() + ": cannot bind " + config.bind() + ": "
                    + SocketErrors.reason(cause), cause);
        }
        InetSocketAddress local = (InetSocketAddress) f.channel().localAddress();
        state.port(local.getPort());
        return new ProxyListener(config, state, f.channel());
    }

    public String name() {
        return config.name();
    }

    public ListenerConfig config() {
        return config;
    }

    public InetSocketAddress localAddress() {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    /** Applies new routes and default pool; requests already routed keep their pool. */
    public void updateRoutes(ListenerConfig next) {
        state.router(new Router(next));
    }

    /** Client connections currently open. */
    public int openConnections() {
        return state.clients().size();
    }

    /**
     * Stops accepting, lets requests in flight finish (up to {@code grace}), then closes what is left. Idle keep-alive
     * connections close at once; busy ones close after their current response.
     */
    public void shutdownGracefully(Duration grace) {
        serverChannel.close().awaitUninterruptibly();
        state.draining(true);
        for (Channel ch : state.clients()) {
            ch.pipeline().fireUserEventTriggered(ProxyEvents.DRAIN);
        }
        // Each connection closes itself once its response is out (an h2 one once its streams are done, after a
        // GOAWAY); wait for that, bounded.
        state.clients().newCloseFuture().awaitUninterruptibly(grace.toMillis());
        forceClose();
    }

    /**
     * Closes what is left from the head of each pipeline: an h2 connection asked to close through its frame codec
     * would go on waiting for its streams.
     */
    private void forceClose() {
        for (Channel ch : state.clients()) {
            ChannelHandlerContext first = ch.pipeline().firstContext();
            if (first != null) {
                first.close();
            } else {
                ch.close();
            }
        }
        state.clients().newCloseFuture().awaitUninterruptibly(1, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        serverChannel.close().awaitUninterruptibly();
        state.clients().close().awaitUninterruptibly(1, TimeUnit.SECONDS);
    }
}
