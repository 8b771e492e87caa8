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

    private final Stall body;
    private final Stall response;
    private boolean headReceived;
    private boolean requestEnded;

    Http2StreamStallHandler(Duration idle, Duration send) {
        this.body = new Stall(idle.toNanos());
        this.response = new Stall(send.toNanos());
    }

    @Override
    public void read(ChannelHandlerContext ctx) {
        // The stream's first read delivers its HEADERS, which are already here (the stream opened on them): only a
        // read for the body can wait on the client. Most requests end with their HEADERS and never arm the timer.
        if (headReceived && !requestEnded) {
            body.begin(ctx);
        }
        ctx.read();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        headReceived = true;
        body.progressed();
        if (msg instanceof LastHttpContent) {
            requestEnded = true;
            body.stop();
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            response.progressed();
        } else {
            response.begin(ctx);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        body.stop();
        response.stop();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        body.stop();
        response.stop();
        ctx.fireChannelInactive();
    }

    /**
     * One direction's wait: since when it has made no progress, and the one timer that resets the stream once that
     * lasts the limit. Progress only clears the start; the timer, when it fires, re-arms for what is left, so a busy
     * stream costs one scheduled task per limit, not one per read or write.
     */
    private static final class Stall {
        private final long limitNanos;
        /** When the wait began; 0 while there is progress. */
        private long since;
        private ScheduledFuture<?> timer;

        Stall(long limitNanos) {
            this.limitNanos = limitNanos;
        }

        void begin(ChannelHandlerContext ctx) {
            if (since == 0) {
                since = System.nanoTime();
                if (timer == null) {
                    arm(ctx, limitNanos);
                }
            }
        }

        void progressed() {
            since = 0;
        }

        void stop() {
            since = 0;
            if (timer != null) {
                timer.cancel(false);
                timer = null;
            }
        }

        private void arm(ChannelHandlerContext ctx, long nanos) {
            timer = ctx.executor().schedule(() -> fired(ctx), nanos, TimeUnit.NANOSECONDS);
        }

        private void fired(ChannelHandlerContext ctx) {
            timer = null;
            if (since == 0 || !ctx.channel().isActive()) {
                return;
            }
            long left = since + limitNanos - System.nanoTime();
            if (left > 0) {
                arm(ctx, left);
                return;
            }
            // The stream has not ended (its request, or its response waiting to be sent), so closing it resets it.
            ctx.close();
        }
    }
}
