package com.foobar.bench.backend;

import com.foobar.bench.transport.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.stream.ChunkedWriteHandler;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * The origin server every proxy in the benchmark talks to: a minimal keep-alive HTTP/1.1 server whose cost per
 * request is as small as Netty allows, so the figures measure the proxy and not the backend.
 *
 * <ul>
 *   <li>{@code GET /bytes/N}: N bytes of body, streamed with backpressure when large (1 GiB works in a small heap);</li>
 *   <li>{@code GET /} and any other GET: {@link BackendOptions#defaultBodyBytes()} bytes;</li>
 *   <li>{@code GET /echo}: the request line and headers as seen here (to check what a proxy adds);</li>
 *   <li>{@code POST}/{@code PUT} anything: the body is read and dropped; the answer says how many bytes arrived.</li>
 * </ul>
 * Every response carries {@code X-Backend: NAME}, so a harness can see the round-robin.
 */
public final class BackendServer implements AutoCloseable {

    private final BackendOptions options;
    private final EventLoopGroup group;
    private final Channel serverChannel;
    private final BodyCache bodies;

    private BackendServer(BackendOptions options, EventLoopGroup group, Channel serverChannel, BodyCache bodies) {
        this.options = options;
        this.group = group;
        this.serverChannel = serverChannel;
        this.bodies = bodies;
    }

    public static BackendServer start(BackendOptions options) throws InterruptedException {
        Objects.requireNonNull(options, "options");
        EventLoopGroup group = Transport.newGroup(options.threads());
        BodyCache bodies = new BodyCache();
        try {
            Channel channel = new ServerBootstrap()
                    .group(group)
                    .channel(Transport.serverChannel())
                    .option(ChannelOption.SO_BACKLOG, 4096)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ChannelPipeline p = ch.pipeline();
                            p.addLast(new HttpServerCodec());
                            p.addLast(new HttpServerExpectContinueHandler());
                            p.addLast(new HttpServerKeepAliveHandler());
                            p.addLast(new ChunkedWriteHandler());
                            p.addLast(new BackendHandler(options, bodies));
                        }
                    })
                    .bind(options.bind())
                    .sync()
                    .channel();
            return new BackendServer(options, group, channel, bodies);
        } catch (RuntimeException | InterruptedException e) {
            group.shutdownGracefully();
            bodies.release();
            throw e;
        }
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    public String name() {
        return options.name();
    }

    @Override
    public void close() {
        serverChannel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        bodies.release();
    }
}
