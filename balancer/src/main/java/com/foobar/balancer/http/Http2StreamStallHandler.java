package com.foobar.balancer.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.LastHttpContent;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP/2 stream's share of {@code client_timeouts}: an h2 stream starts with its whole header block, so what can
 * stall is its body. Once the proxy has asked for more of it, the client has {@code idle} to send some; a stream that
 * stays silent that long is reset (RST_STREAM CANCEL), which also aborts its upstream exchange. Time the proxy spends
 * not reading (upstream backpressure) does not count, and neither does the wait for the response once the request
 * ended: the upstream response timeout governs that, as on HTTP/1.1.
 */
final class Http2StreamStallHandler extends ChannelDuplexHandler {

    private final long idleNanos;
    private boolean requestEnded;
    /** When the proxy asked for more and nothing has come since; 0 when not waiting. */
    private long waitingSince;
    private ScheduledFuture<?> timer;

    Http2StreamStallHandler(Duration idle) {
        this.idleNanos = idle.toNanos();
    }

    @Override
    public void read(ChannelHandlerContext ctx) {
        if (!requestEnded && waitingSince == 0) {
            waitingSince = System.nanoTime();
            if (timer == null) {
                timer = ctx.executor().schedule(() -> fire(ctx), idleNanos, TimeUnit.NANOSECONDS);
            }
        }
        ctx.read();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        waitingSince = 0;
        if (msg instanceof LastHttpContent) {
            requestEnded = true;
            cancel();
        }
        ctx.fireChannelRead(msg);
    }

    private void fire(ChannelHandlerContext ctx) {
        timer = null;
        if (requestEnded || waitingSince == 0 || !ctx.channel().isActive()) {
            return;
        }
        long left = waitingSince + idleNanos - System.nanoTime();
        if (left > 0) {
            timer = ctx.executor().schedule(() -> fire(ctx), left, TimeUnit.NANOSECONDS);
            return;
        }
        // Closing a stream whose request has not ended resets it.
        ctx.close();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancel();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancel();
        ctx.fireChannelInactive();
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
