package com.foobar.balancer.proxy;

import com.foobar.balancer.config.Durations;
import com.foobar.balancer.http.ErrorReplies;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.ssl.AbstractSniHandler;
import io.netty.handler.ssl.SslHandler;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Client-side timeouts, placed in front of the HTTP codec so it sees raw bytes. A connection waiting for a request
 * head gets {@code header} time from its first byte (or from accept) to complete it; a slow client (slowloris) is
 * answered 408 and closed. A keep-alive connection with nothing in flight is closed after {@code idle}. While requests
 * are in flight the upstream's response timeout governs the server, and {@code send} the client: a client that
 * takes none of the bytes waiting for it (the connection stays unwritable with no progress) for that long is closed,
 * so a slow reader cannot hold its exchange and a server connection for as long as it likes.
 */
final class ClientTimeoutHandler extends ChannelDuplexHandler {

    private enum State { IDLE, READING_HEAD, BUSY }

    /** The metric's phase label of each timeout. */
    static final String HEADER = "header";
    static final String IDLE = "idle";
    static final String SEND = "send";

    private final long headerNanos;
    private final long idleNanos;
    private final long sendNanos;
    private final TimeoutListener timedOut;
    private State state = State.READING_HEAD;
    /** Request heads received minus responses completed: pipelined requests keep the connection busy. */
    private int outstanding;
    private final byte[] requestTimeout;
    private ScheduledFuture<?> timer;
    private long timerAt;
    private long deadline;
    /** Null once removed (ALPN chose h2): then the proxy's calls change nothing. */
    private ChannelHandlerContext ctx;
    /** The send watch, running only while the connection is unwritable; 0 when it is writable. */
    private ScheduledFuture<?> sendTimer;
    private long sendDeadline;
    /** {@link io.netty.channel.Channel#bytesBeforeWritable()} when the watch last saw progress. */
    private long sendBacklog;

    /** Told each time a client timeout closes a connection, with the phase. */
    interface TimeoutListener {
        /**
         * @param answered the body bytes of the 408 sent before the close, or -1 when the connection was only closed
         */
        void timedOut(ChannelHandlerContext ctx, String phase, long answered);
    }

    ClientTimeoutHandler(long headerNanos, long idleNanos, long sendNanos, byte[] requestTimeoutResponse,
            TimeoutListener timedOut) {
        this.headerNanos = headerNanos;
        this.idleNanos = idleNanos;
        this.sendNanos = sendNanos;
        this.requestTimeout = requestTimeoutResponse;
        this.timedOut = timedOut;
    }

    /** The raw 408 response, built once per listener: this handler sits below the codec and writes bytes. */
    static byte[] requestTimeoutResponse(java.time.Duration header) {
        return ErrorReplies.encoded(HttpResponseStatus.REQUEST_TIMEOUT,
                "request headers not received within " + Durations.format(header));
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        arm(ctx, State.READING_HEAD, headerNanos);
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (state == State.IDLE && msg instanceof ByteBuf && ((ByteBuf) msg).isReadable()) {
            arm(ctx, State.READING_HEAD, headerNanos);
        }
        super.channelRead(ctx, msg);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /**
     * A request head was decoded: no client timeout runs while it is served. The proxy calls this directly (an
     * event through the whole pipeline twice per request showed in profiles); on the event loop only.
     */
    void requestHeadReceived() {
        outstanding++;
        state = State.BUSY;
        deadline = 0;
    }

    /** A response has gone out: with nothing else in flight the idle timeout starts. On the event loop only. */
    void exchangeComplete() {
        if (outstanding > 0) {
            outstanding--;
        }
        if (outstanding == 0 && ctx != null) {
            arm(ctx, State.IDLE, idleNanos);
        }
    }

    private void arm(ChannelHandlerContext ctx, State next, long nanos) {
        state = next;
        deadline = System.nanoTime() + nanos;
        // One timer per connection, re-checked when it fires, so arming per request costs no scheduling.
        if (timer != null && deadline - timerAt < 0) {
            timer.cancel(false);
            timer = null;
        }
        if (timer == null) {
            schedule(ctx, nanos);
        }
    }

    private void schedule(ChannelHandlerContext ctx, long nanos) {
        timerAt = System.nanoTime() + nanos;
        timer = ctx.executor().schedule(() -> fire(ctx), nanos, TimeUnit.NANOSECONDS);
    }

    private void fire(ChannelHandlerContext ctx) {
        timer = null;
        if (!ctx.channel().isActive() || state == State.BUSY || deadline == 0) {
            return;
        }
        long left = deadline - System.nanoTime();
        if (left > 0) {
            schedule(ctx, left);
            return;
        }
        if (state == State.READING_HEAD && !tlsHandshakePending(ctx)) {
            timedOut.timedOut(ctx, HEADER, requestTimeoutBodyBytes());
            ctx.writeAndFlush(Unpooled.wrappedBuffer(requestTimeout)).addListener(ChannelFutureListener.CLOSE);
        } else {
            timedOut.timedOut(ctx, state == State.IDLE ? IDLE : HEADER, -1);
            ctx.close();
        }
    }

    /** The 408's body: what follows the blank line of the raw response. */
    private long requestTimeoutBodyBytes() {
        for (int i = 3; i < requestTimeout.length; i++) {
            if (requestTimeout[i] == '\n' && requestTimeout[i - 1] == '\r' && requestTimeout[i - 2] == '\n') {
                return requestTimeout.length - i - 1;
            }
        }
        return 0;
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        if (ctx.channel().isWritable()) {
            sendDeadline = 0; // the client drained enough; a watch still scheduled finds nothing to do
        } else if (sendDeadline == 0) {
            sendBacklog = ctx.channel().bytesBeforeWritable();
            sendDeadline = System.nanoTime() + sendNanos;
            if (sendTimer == null) {
                sendTimer = ctx.executor().schedule(() -> watchSend(ctx), sendNanos, TimeUnit.NANOSECONDS);
            }
        }
        super.channelWritabilityChanged(ctx);
    }

    /**
     * The client has had bytes waiting: any it took since the last look restart the clock (as nginx's
     * {@code send_timeout}, a slow reader is fine, a stopped one is not); none for {@code send} closes the connection,
     * which ends its exchange and the server connection with it.
     */
    private void watchSend(ChannelHandlerContext ctx) {
        sendTimer = null;
        if (!ctx.channel().isActive() || sendDeadline == 0 || ctx.channel().isWritable()) {
            return;
        }
        long now = System.nanoTime();
        long backlog = ctx.channel().bytesBeforeWritable();
        if (backlog < sendBacklog) {
            sendDeadline = now + sendNanos;
        }
        // Bytes the proxy queued since (one read's worth at most: it stops reading while unwritable) raise the mark.
        sendBacklog = backlog;
        long left = sendDeadline - now;
        if (left > 0) {
            sendTimer = ctx.executor().schedule(() -> watchSend(ctx), left, TimeUnit.NANOSECONDS);
            return;
        }
        timedOut.timedOut(ctx, SEND, -1);
        ctx.close();
    }

    /**
     * A TLS client still in its handshake gets no 408: there is no TLS session to carry it, and in front of an SNI
     * handler that has not seen the ClientHello the bytes would go out in plain text.
     */
    private static boolean tlsHandshakePending(ChannelHandlerContext ctx) {
        ChannelPipeline p = ctx.pipeline();
        if (p.get(AbstractSniHandler.class) != null) {
            return true;
        }
        SslHandler tls = p.get(SslHandler.class);
        return tls != null && !tls.handshakeFuture().isSuccess();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        // Removed when ALPN picks h2: HTTP/2 has no request-head phase on the connection itself.
        this.ctx = null;
        state = State.BUSY;
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        sendDeadline = 0;
        if (sendTimer != null) {
            sendTimer.cancel(false);
            sendTimer = null;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        if (sendTimer != null) {
            sendTimer.cancel(false);
            sendTimer = null;
        }
        super.channelInactive(ctx);
    }
}
