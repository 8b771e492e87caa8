package com.foobar.balancer.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.DefaultHttp2GoAwayFrame;
import io.netty.handler.codec.http2.DefaultHttp2PingFrame;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2PingFrame;
import io.netty.handler.codec.http2.Http2SettingsFrame;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.util.ReferenceCountUtil;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * {@code client_timeouts} for an HTTP/2 connection, between the frame codec and the stream multiplexer:
 * <ul>
 *   <li>the client preface and its first SETTINGS must arrive within {@code header} of ALPN settling on h2, else the
 *       connection is closed;</li>
 *   <li>a connection with no open stream for {@code idle} gets GOAWAY(NO_ERROR) and is closed, as HAProxy's
 *       {@code timeout http-keep-alive} and nginx's {@code keepalive_timeout} do for h2 (PINGs do not keep it);</li>
 *   <li>a connection with open streams from which nothing was read for {@code idle} is probed with a PING; no ACK
 *       within {@code header} means a dead peer, and the connection is closed at once, streams and all.</li>
 * </ul>
 * One timer per connection, re-checked when it fires, so frames cost a field write and no scheduling.
 */
final class Http2ConnectionTimeoutHandler extends ChannelDuplexHandler {

    /** After GOAWAY, how long a close may wait on a client that does not read before the socket is dropped. */
    static final Duration CLOSE_AFTER_GOAWAY = Duration.ofSeconds(2);

    private enum State { PREFACE, IDLE, BUSY, PROBING, CLOSING }

    private final long headerNanos;
    private final long idleNanos;
    private final Http2Connection connection;
    private final String codecName;
    private State state = State.PREFACE;
    private long since;
    private long lastRead;
    private long pingPayload;
    private ScheduledFuture<?> timer;
    private ChannelHandlerContext ctx;

    Http2ConnectionTimeoutHandler(Duration header, Duration idle, Http2Connection connection, String codecName) {
        this.headerNanos = header.toNanos();
        this.idleNanos = idle.toNanos();
        this.connection = connection;
        this.codecName = codecName;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        long now = System.nanoTime();
        since = now;
        lastRead = now;
        connection.addListener(new Http2ConnectionAdapter() {
            @Override
            public void onStreamActive(Http2Stream stream) {
                if (state == State.IDLE) {
                    state = State.BUSY;
                }
            }

            @Override
            public void onStreamClosed(Http2Stream stream) {
                // Netty counts the stream out before telling its listeners.
                if (connection.numActiveStreams() == 0 && (state == State.BUSY || state == State.PROBING)) {
                    state = State.IDLE;
                    since = System.nanoTime();
                }
            }
        });
        schedule(headerNanos);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        lastRead = System.nanoTime();
        if (state == State.PREFACE && msg instanceof Http2SettingsFrame) {
            state = connection.numActiveStreams() == 0 ? State.IDLE : State.BUSY;
            since = lastRead;
            if (idleNanos < headerNanos && timer != null) {
                // The preface timer would fire later than this state's deadline.
                timer.cancel(false);
                schedule(idleNanos);
            }
        } else if (msg instanceof Http2PingFrame ping && ping.ack() && state == State.PROBING
                && ping.content() == pingPayload) {
            // Our own probe coming back: the peer is alive, and the frame is ours to consume.
            state = connection.numActiveStreams() == 0 ? State.IDLE : State.BUSY;
            ReferenceCountUtil.release(msg);
            return;
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // Bytes that made no whole frame yet (a large DATA frame in pieces) still show the peer is alive.
        lastRead = System.nanoTime();
        ctx.fireChannelReadComplete();
    }

    private void schedule(long nanos) {
        timer = ctx.executor().schedule(this::fire, Math.max(nanos, 1), TimeUnit.NANOSECONDS);
    }

    private void fire() {
        timer = null;
        if (!ctx.channel().isActive() || state == State.CLOSING) {
            return;
        }
        long now = System.nanoTime();
        long next;
        switch (state) {
            case PREFACE -> {
                next = since + headerNanos - now;
                if (next <= 0) {
                    // Nothing HTTP/2 came: no stream to account for, no GOAWAY a silent peer would read.
                    abort();
                    return;
                }
            }
            case IDLE -> {
                next = since + idleNanos - now;
                if (next <= 0) {
                    goAwayAndClose();
                    return;
                }
            }
            case BUSY -> {
                next = lastRead + idleNanos - now;
                if (next <= 0) {
                    state = State.PROBING;
                    since = now;
                    pingPayload = ThreadLocalRandom.current().nextLong();
                    ctx.writeAndFlush(new DefaultHttp2PingFrame(pingPayload));
                    next = headerNanos;
                }
            }
            case PROBING -> {
                if (lastRead - since > 0) {
                    // Whatever came after the PING shows the peer is alive, ACK or not; BUSY probes again if due.
                    state = State.BUSY;
                    schedule(lastRead + idleNanos - now);
                    return;
                }
                next = since + headerNanos - now;
                if (next <= 0) {
                    abort();
                    return;
                }
            }
            default -> throw new IllegalStateException(state.name());
        }
        schedule(next);
    }

    private void goAwayAndClose() {
        state = State.CLOSING;
        ctx.writeAndFlush(new DefaultHttp2GoAwayFrame(Http2Error.NO_ERROR)).addListener(f -> abort());
        ctx.executor().schedule(this::abort, CLOSE_AFTER_GOAWAY.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Closes the socket now: a close through the frame codec would wait for open streams to finish. */
    private void abort() {
        state = State.CLOSING;
        ChannelHandlerContext codec = ctx.pipeline().context(codecName);
        (codec != null ? codec : ctx).close();
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
        state = State.CLOSING;
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
