package com.foobar.balancer.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.LastHttpContent;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP/2 stream's share of {@code client_timeouts}, both ways; either stall resets the stream (RST_STREAM
 * CANCEL), which also aborts its upstream exchange and closes its server connection, and the client's connection goes
 * on.
 * <ul>
 *   <li>Its request: an h2 stream starts with its whole header block, so what can stall is its body. Once the proxy
 *   has asked for more of it, the client has {@code idle} to send some. Time the proxy spends not reading (upstream
 *   backpressure) does not count, and neither does the wait for the response once the request ended: the upstream
 *   response timeout governs that, as on HTTP/1.1.</li>
 *   <li>Its response: a client that opens no room in the stream's flow-control window (no WINDOW_UPDATE) while the
 *   response waits to be sent has {@code send} to do so, as {@code client_timeouts.send} gives an HTTP/1.1 client
 *   that takes no bytes. A slow reader that keeps opening the window is never cut.</li>
 * </ul>
 */
final class Http2StreamStallHandler extends ChannelDuplexHandler {

    private final long idleNanos;
    private final long sendNanos;
    private boolean requestEnded;
    /** When the proxy asked for more and nothing has come since; 0 when not waiting. */
    private long waitingSince;
    private ScheduledFuture<?> timer;
    /** When the stream became unwritable (its window full) and has not been writable since; 0 when writable. */
    private long blockedSince;
    private ScheduledFuture<?> sendTimer;

    Http2StreamStallHandler(Duration idle, Duration send) {
        this.idleNanos = idle.toNanos();
        this.sendNanos = send.toNanos();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            blockedSince = 0;
        } else if (blockedSince == 0) {
            blockedSince = System.nanoTime();
            if (sendTimer == null) {
                sendTimer = ctx.executor().schedule(() -> sendTimerFired(ctx), sendNanos, TimeUnit.NANOSECONDS);
            }
        }
        ctx.fireChannelWritabilityChanged();
    }

    private void sendTimerFired(ChannelHandlerContext ctx) {
        sendTimer = null;
        if (blockedSince == 0 || !ctx.channel().isActive()) {
            return;
        }
        long left = blockedSince + sendNanos - System.nanoTime();
        if (left > 0) {
            sendTimer = ctx.executor().schedule(() -> sendTimerFired(ctx), left, TimeUnit.NANOSECONDS);
            return;
        }
        // The response has not ended (it waits to be sent), so closing the stream resets it.
        ctx.close();
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
        cancelAll();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancelAll();
        ctx.fireChannelInactive();
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void cancelAll() {
        cancel();
        if (sendTimer != null) {
            sendTimer.cancel(false);
            sendTimer = null;
        }
    }
}
