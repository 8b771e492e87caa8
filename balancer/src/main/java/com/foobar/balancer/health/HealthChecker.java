package com.foobar.balancer.health;

import com.foobar.balancer.config.Durations;
import com.foobar.balancer.config.HealthCheckConfig;
import com.foobar.balancer.metrics.BalancerMetrics;
import com.foobar.balancer.transport.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.ScheduledFuture;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Active HTTP health checks on the balancer's own event loops: per server, GET {@code path} with a Host header every
 * {@code interval} (counted from the end of the previous check, so a slow server is never checked twice at once).
 * Following HAProxy's default {@code init-state up}, a server starts UP but is checked at once, and its first failure
 * takes it DOWN; after that it takes {@code fall} failures in a row to go DOWN and {@code rise} passes to come back.
 */
public final class HealthChecker implements AutoCloseable {
    private static final String USER_AGENT = "foobar-balancer-health/1";

    private final EventLoopGroup group;
    private final Class<? extends SocketChannel> channelClass;
    private final BalancerMetrics metrics;
    private final Map<HealthCheckTarget, Check> checks = new ConcurrentHashMap<>();
    private volatile boolean closed;

    public HealthChecker(EventLoopGroup group, BalancerMetrics metrics) {
        this.group = group;
        this.metrics = metrics;
        this.channelClass = Transport.of(group).channelType();
        warmUp();
    }

    /**
     * Runs one request and answer through the codec in memory. A fresh server goes DOWN on its first failed check,
     * and that check must not time out because the JVM was still loading the HTTP classes.
     */
    private static void warmUp() {
        EmbeddedChannel ch = new EmbeddedChannel(new HttpClientCodec());
        try {
            FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/");
            req.headers().set(HttpHeaderNames.HOST, "warm-up");
            ch.writeOutbound(req);
            ch.writeInbound(Unpooled.copiedBuffer("HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n", StandardCharsets.US_ASCII));
        } finally {
            ch.finishAndReleaseAll();
        }
    }


    /** Checks {@code target} with {@code config}; a target already checked with another config is restarted. */
    public void watch(HealthCheckTarget target, HealthCheckConfig config) {
        if (closed) {
            return;
        }
        Check existing = checks.get(target);
        if (existing != null && existing.config.equals(config)) {
            return;
        }
        if (existing != null) {
            existing.cancel();
        }
        Check check = new Check(target, config, group.next(), existing == null);
        checks.put(target, check);
        check.start();
    }

    /** Stops checking {@code target}. */
    public void unwatch(HealthCheckTarget target) {
        Check c = checks.remove(target);
        if (c != null) {
            c.cancel();
        }
    }

    @Override
    public void close() {
        closed = true;
        checks.values().forEach(Check::cancel);
        checks.clear();
    }

    /** One server's check loop; all its state lives on one event loop. */
    private final class Check {
        final HealthCheckTarget target;
        final HealthCheckConfig config;
        final EventLoop loop;
        final String hostHeader;
        int passes;
        int failures;
        /** HAProxy's init-state "up": until its first check, a new server goes DOWN on one failure. */
        boolean fresh;
        volatile boolean cancelled;
        ScheduledFuture<?> next;
        Channel channel;

        Check(HealthCheckTarget target, HealthCheckConfig config, EventLoop loop, boolean fresh) {
            this.target = target;
            this.config = config;
            this.loop = loop;
            this.hostHeader = config.host() != null ? config.host() : target.address().toString();
            this.fresh = fresh;
        }

        void start() {
            try {
                loop.execute(this::run);
            } catch (RejectedExecutionException stopped) {
                cancelled = true; // watching from a balancer that is stopping
            }
        }

        void cancel() {
            cancelled = true;
            if (loop.isShuttingDown()) {
                return; // the loop takes its timers and channels down with it
            }
            try {
                loop.execute(() -> {
                    if (next != null) {
                        next.cancel(false);
                    }
                    if (channel != null) {
                        channel.close();
                    }
                });
            } catch (RejectedExecutionException stopped) {
                // the loop stopped between the check and the call: same as above
            }
        }

        private void run() {
            if (cancelled) {
                return;
            }
            InetSocketAddress to = target.socketAddress();
            if (to == null) {
                // A name that has not resolved yet: nothing to check, and no verdict. The server is down anyway while
                // it has no address, and its first real check is still its first (init-state up).
                next = loop.schedule(this::run, config.interval().toNanos(), TimeUnit.NANOSECONDS);
                return;
            }
            Attempt attempt = new Attempt();
            Bootstrap b = new Bootstrap()
                    .group(loop)
                    .channel(channelClass)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.max(1, config.timeout().toMillis()))
                    .option(ChannelOption.TCP_NODELAY, true)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new HttpClientCodec(), new ResponseHandler(attempt));
                        }
                    });
            ChannelFuture cf = b.connect(to);
            channel = cf.channel();
            attempt.timeout = loop.schedule(() -> attempt.fail("no answer within " + Durations.format(config.timeout())),
                    config.timeout().toNanos(), TimeUnit.NANOSECONDS);
            cf.addListener(f -> {
                if (!f.isSuccess()) {
                    Throwable c = f.cause();
                    target.connectFailed();
                    attempt.fail(c instanceof ConnectTimeoutException ? "connect timed out"
                            : c instanceof ConnectException ? "connection refused" : "connect failed: " + c.getMessage());
                    return;
                }
                FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, config.path());
                req.headers().set(HttpHeaderNames.HOST, hostHeader)
                        .set(HttpHeaderNames.USER_AGENT, USER_AGENT)
                        .set(HttpHeaderNames.ACCEPT, "*/*")
                        .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                cf.channel().writeAndFlush(req).addListener(w -> {
                    if (!w.isSuccess()) {
                        attempt.fail("request failed: " + w.cause().getMessage());
                    }
                });
            });
        }

        /** The outcome of one check; the first verdict wins. */
        private final class Attempt {
            ScheduledFuture<?> timeout;
            boolean done;

            void pass() {
                finish(true, null);
            }

            void fail(String reason) {
                finish(false, reason);
            }

            private void finish(boolean passed, String reason) {
                if (done) {
                    return;
                }
                done = true;
                if (timeout != null) {
                    timeout.cancel(false);
                }
                if (channel != null) {
                    channel.close();
                    channel = null;
                }
                if (cancelled) {
                    return;
                }
                metrics.healthChecked(target.poolName(), target.name(), passed);
                boolean first = fresh;
                fresh = false;
                if (passed) {
                    failures = 0;
                    passes++;
                    if (!target.healthy() && passes >= config.rise()) {
                        target.healthChanged(true, passes + " check(s) passed");
                    }
                } else {
                    passes = 0;
                    failures++;
                    if (target.healthy() && (first || failures >= config.fall())) {
                        target.healthChanged(false, failures + " check(s) failed, last: " + reason);
                    }
                }
                // A little jitter keeps the checks of many servers from marching in lockstep.
                long interval = config.interval().toNanos();
                long jitter = ThreadLocalRandom.current().nextLong(Math.max(1, interval / 20));
                next = loop.schedule(Check.this::run, interval + jitter, TimeUnit.NANOSECONDS);
            }
        }

        private final class ResponseHandler extends SimpleChannelInboundHandler<HttpObject> {
            private final Attempt attempt;

            ResponseHandler(Attempt attempt) {
                this.attempt = attempt;
            }

            @Override
            protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
                if (msg instanceof HttpResponse r) {
                    int status = r.status().code();
                    if (config.expectStatus().contains(status)) {
                        attempt.pass();
                    } else {
                        attempt.fail("status " + status + " is not in " + config.expectStatus());
                    }
                }
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                attempt.fail("connection closed before an answer");
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                attempt.fail(cause.getClass().getSimpleName() + ": " + cause.getMessage());
            }
        }
    }
}
