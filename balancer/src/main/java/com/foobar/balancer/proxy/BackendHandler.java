package com.foobar.balancer.proxy;

import com.foobar.balancer.upstream.FailureKind;
import com.foobar.balancer.upstream.UpstreamServer;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

import java.net.InetSocketAddress;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The proxy end of one upstream connection. While an exchange is attached it hands everything to it (through
 * {@link UpstreamEvents}); while the connection idles in the pool, any input or a close takes it out of service.
 */
final class BackendHandler extends ChannelInboundHandlerAdapter {

    private final BackendConnectionPools pools;
    private final UpstreamServer server;
    /** The server's address when this connection was opened: the very instance, so identity tells a move. */
    private final InetSocketAddress address;
    private Channel channel;
    private UpstreamEvents exchange;
    /** Exchanges this connection has carried, the one under way included. */
    private int exchanges;
    private boolean pooled;
    private long idleSince;
    private ScheduledFuture<?> watchdog;
    private long watchdogAt;

    BackendHandler(BackendConnectionPools pools, UpstreamServer server, InetSocketAddress address) {
        this.pools = pools;
        this.server = server;
        this.address = address;
    }

    /** Whether the server's name has since moved to another address: then the connection is not reused. */
    boolean toOldAddress() {
        return address != server.socketAddress();
    }

    Channel channel() {
        return channel;
    }

    UpstreamServer server() {
        return server;
    }

    void attach(UpstreamEvents exchange) {
        this.exchange = exchange;
        exchanges++;
    }

    /** Whether an earlier exchange used this connection, which then waited idle in the pool. */
    boolean reused() {
        return exchanges > 1;
    }

    void detach() {
        this.exchange = null;
    }

    /**
     * Makes sure the attached exchange hears {@link UpstreamEvents#responseTimerFired} no later than {@code delayNanos}
     * from now. One timer serves every exchange the connection carries: it is scheduled only when none is pending
     * or the pending one would fire too late, and the exchange re-checks its own progress when it fires, so a busy
     * keep-alive connection costs one scheduled task per timeout period instead of one per request.
     */
    void watch(long delayNanos) {
        long at = channel.eventLoop().ticker().nanoTime() + delayNanos;
        if (watchdog != null) {
            if (at - watchdogAt >= 0) {
                return;
            }
            watchdog.cancel(false);
        }
        watchdogAt = at;
        watchdog = channel.eventLoop().schedule(this::onWatchdog, delayNanos, TimeUnit.NANOSECONDS);
    }

    private void onWatchdog() {
        watchdog = null;
        UpstreamEvents ex = exchange;
        if (ex != null) {
            ex.responseTimerFired(this);
        }
    }

    private void cancelWatchdog() {
        if (watchdog != null) {
            watchdog.cancel(false);
            watchdog = null;
        }
    }

    boolean pooled() {
        return pooled;
    }

    void pooled(boolean pooled) {
        this.pooled = pooled;
    }

    long idleSince() {
        return idleSince;
    }

    void idleSince(long nanos) {
        this.idleSince = nanos;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        UpstreamEvents ex = exchange;
        if (ex != null) {
            ex.upstreamMessage(this, msg);
        } else {
            // Bytes nobody asked for (after a response, or on an idle connection): the connection is out of sync.
            ReferenceCountUtil.release(msg);
            ctx.close();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        UpstreamEvents ex = exchange;
        if (ex != null) {
            ex.upstreamReadComplete(this);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        UpstreamEvents ex = exchange;
        if (ex != null) {
            ex.upstreamWritable(this);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancelWatchdog();
        UpstreamEvents ex = exchange;
        if (ex != null) {
            ex.upstreamFailed(this, FailureKind.CONNECTION_RESET, "closed the connection");
        } else if (pooled) {
            pools.remove(this);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        UpstreamEvents ex = exchange;
        if (ex != null) {
            ex.upstreamFailed(this, FailureKind.CONNECTION_RESET, UpstreamConnections.describe(cause));
        }
        ctx.close();
    }
}
