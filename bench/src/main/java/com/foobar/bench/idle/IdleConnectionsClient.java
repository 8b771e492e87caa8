package com.foobar.bench.idle;

import com.foobar.bench.transport.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Opens many keep-alive connections to a proxy, sends one GET on each (so each connection has done real work and
 * holds whatever per-connection state the proxy keeps), then leaves them all idle and open. A bounded number of
 * connections is in its handshake or request at any time, so the proxy's upstream pool stays small and what is
 * measured is the cost of idle client connections.
 */
public final class IdleConnectionsClient implements AutoCloseable {

    /** What happened to the connections so far; safe to read from any thread. */
    public record Progress(int opened, int ready, int failed, int closedAfterReady) {

        public int openNow() {
            return ready - closedAfterReady;
        }
    }

    private final IdleClientOptions options;
    private final EventLoopGroup group;
    private final Bootstrap bootstrap;
    private final ChannelGroup channels;
    private final AtomicInteger started = new AtomicInteger();
    private final AtomicInteger opened = new AtomicInteger();
    private final AtomicInteger ready = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicInteger closedAfterReady = new AtomicInteger();
    private final CountDownLatch settled;
    private volatile String firstFailure;

    public IdleConnectionsClient(IdleClientOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        this.group = Transport.newGroup(1);
        this.channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
        this.settled = new CountDownLatch(options.connections());
        this.bootstrap = new Bootstrap()
                .group(group)
                .channel(Transport.clientChannel())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) options.connectTimeout().toMillis())
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpClientCodec(), new OneRequestHandler());
                    }
                });
    }

    /** Starts opening; returns at once. Use {@link #awaitSettled(Duration)} to wait until every connection is in. */
    public void start() {
        int first = Math.min(options.concurrency(), options.connections());
        for (int i = 0; i < first; i++) {
            openNext();
        }
    }

    /** True when every connection has either answered its request or failed, within the given time. */
    public boolean awaitSettled(Duration timeout) throws InterruptedException {
        return settled.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public Progress progress() {
        return new Progress(opened.get(), ready.get(), failed.get(), closedAfterReady.get());
    }

    public String firstFailure() {
        return firstFailure;
    }

    private void openNext() {
        if (started.incrementAndGet() > options.connections()) {
            return;
        }
        ChannelFuture connect = bootstrap.connect(options.target());
        connect.addListener(f -> {
            if (f.isSuccess()) {
                opened.incrementAndGet();
                channels.add(connect.channel());
            } else {
                fail("connect: " + f.cause());
            }
        });
    }

    private void fail(String why) {
        if (firstFailure == null) {
            firstFailure = why;
        }
        failed.incrementAndGet();
        settled.countDown();
        openNext();
    }

    @Override
    public void close() {
        channels.close().awaitUninterruptibly(10, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Sends the one request, reads its response, then leaves the connection idle. */
    private final class OneRequestHandler extends ChannelInboundHandlerAdapter {

        private boolean answered;
        private boolean ok;

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, options.path());
            request.headers()
                    .set(HttpHeaderNames.HOST, options.hostHeader())
                    .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE)
                    .set(HttpHeaderNames.CONTENT_LENGTH, 0);
            ctx.writeAndFlush(request);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof HttpResponse) {
                    ok = ((HttpResponse) msg).status().code() == 200;
                }
                if (msg instanceof LastHttpContent && !answered) {
                    answered = true;
                    if (ok) {
                        ready.incrementAndGet();
                        settled.countDown();
                        openNext();
                    } else {
                        ctx.close();
                    }
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (answered && ok) {
                closedAfterReady.incrementAndGet();
            } else {
                fail(answered ? "non-200 response" : "closed before the response");
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** The idle-connection client as a command: prints READY once settled, then STATUS lines until killed. */
    public static void run(IdleClientOptions options, Duration settleTimeout) throws InterruptedException {
        IdleConnectionsClient client = new IdleConnectionsClient(options);
        Runtime.getRuntime().addShutdownHook(new Thread(client::close, "idle-client-shutdown"));
        long began = System.nanoTime();
        client.start();
        boolean settledInTime = client.awaitSettled(settleTimeout);
        Progress p = client.progress();
        System.out.printf("READY settled=%s open=%d failed=%d seconds=%.1f%s%n", settledInTime, p.openNow(),
                p.failed(), (System.nanoTime() - began) / 1e9,
                client.firstFailure() == null ? "" : " first_failure=\"" + client.firstFailure() + '"');
        System.out.flush();
        long deadline = System.nanoTime() + options.hold().toNanos();
        while (System.nanoTime() < deadline) {
            Thread.sleep(1000);
            p = client.progress();
            System.out.printf("STATUS open=%d failed=%d closed_after_ready=%d%n", p.openNow(), p.failed(),
                    p.closedAfterReady());
            System.out.flush();
        }
    }
}
