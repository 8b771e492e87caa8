package com.foobar.balancer.proxy;

import com.foobar.balancer.upstream.FailureKind;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;

/**
 * The request on its way to the current attempt's upstream connection: the head and the body written to it, how much
 * of the request reached its socket, the body pieces that wait for a connection, and a copy of what was sent, held (up
 * to {@link #REPLAY_LIMIT}) until the response starts so that a failed attempt can be replayed elsewhere. It reads from
 * the client only while the connection takes what it is given, which is the request direction's backpressure.
 *
 * <p>The copies share the client's buffers (retained duplicates), so holding costs no copying. Nothing is allocated for
 * a request without a body: its empty end is kept by reference, not in a list. Only the end of the request gets a
 * promise (the head too when a body follows, as its success decides whether an upload may be retried), so the middle
 * of a body costs no promise per piece.
 */
final class RequestForwarder implements ChannelFutureListener {

    /** Request bodies up to this size are kept until the response starts, so an idempotent request can be replayed. */
    static final int REPLAY_LIMIT = 64 * 1024;

    /** How much of the request the current attempt's connection took. */
    private enum Sent { NOTHING, HEAD, ALL }

    private final ChannelHandlerContext client;
    private final UpstreamEvents events;
    /** The current attempt's connection, or null between attempts. */
    private BackendHandler to;
    private Sent sent = Sent.NOTHING;
    private ArrayDeque<HttpContent> unsent;
    private ArrayList<HttpContent> replay;
    /** The end of the request when it carries no bytes (most requests): held here instead of in {@link #replay}. */
    private HttpContent replayEnd;
    private int replayBytes;
    private boolean holding = true;
    private boolean sentSome;
    private boolean received;
    /** The client asked to hear {@code 100 Continue} before it sends the body. */
    private boolean continuePending;

    /** @param events told when the head's write fails (the exchange, as the connection's other events) */
    RequestForwarder(ChannelHandlerContext client, UpstreamEvents events) {
        this.client = client;
        this.events = events;
    }

    /**
     * Sends the request, and as much of its body as came, to a fresh attempt's connection: the held copies when an
     * earlier attempt already sent some (the queued pieces are among them), else the queued pieces. Flushes unless
     * the client's read in progress will ({@code inReadBatch}), once, with the rest of the request.
     */
    void start(BackendHandler h, RequestHead head, boolean inReadBatch) {
        to = h;
        sent = Sent.NOTHING;
        Channel ch = h.channel();
        if (head.declaredBodyless()) {
            // Head and end go out in one flush: the end's promise tells for both, and a failed head write reaches
            // BackendHandler.exceptionCaught through the void promise. One promise per request instead of two.
            ch.write(head.request(), ch.voidPromise());
        } else {
            ch.write(head.request()).addListener((ChannelFutureListener) f -> headWritten(h, f));
        }
        if (to != h) {
            return; // the write failed at once and the exchange moved on
        }
        if (sentSome) {
            releaseAll(unsent);
            if (replay != null) {
                for (HttpContent c : replay) {
                    send(ch, c.retainedDuplicate());
                }
            }
            if (replayEnd != null) {
                send(ch, replayEnd.retainedDuplicate());
            }
        } else if (unsent != null) {
            HttpContent c;
            while ((c = unsent.poll()) != null) {
                send(ch, c);
            }
        }
        if (!inReadBatch) {
            ch.flush();
        }
        if (continuePending && !received && to == h) {
            continuePending = false;
            client.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE,
                    Unpooled.EMPTY_BUFFER), client.voidPromise());
        }
    }

    /**
     * The client sent {@code Expect: 100-continue}: the balancer answers {@code 100} itself once a server's connection
     * takes the request (the server sees a plain request, as {@link HeaderRewriter#toUpstream} removes the header).
     */
    void expectContinue() {
        continuePending = true;
    }

    private void headWritten(BackendHandler h, ChannelFuture f) {
        if (!f.isSuccess()) {
            events.upstreamFailed(h, FailureKind.CONNECTION_RESET, "write failed ("
                    + UpstreamConnections.describe(f.cause()) + ")");
        } else if (to == h && sent == Sent.NOTHING) {
            sent = Sent.HEAD;
        }
    }

    /** The end of the request reached a connection's socket. */
    @Override
    public void operationComplete(ChannelFuture f) {
        if (f.isSuccess() && to != null && to.channel() == f.channel()) {
            sent = Sent.ALL;
        }
    }

    /** A new attempt begins: nothing of the request has reached its server yet. */
    void beginAttempt() {
        to = null;
        sent = Sent.NOTHING;
    }

    /** The attempt's connection is let go of: nothing more is written to it. */
    void stop() {
        to = null;
    }

    /** A piece of the body from the client: a copy held for a replay while the body fits, then sent or queued. */
    void receive(HttpContent c) {
        if (c instanceof LastHttpContent) {
            received = true;
        }
        if (holding) {
            hold(c);
        }
        if (to != null) {
            send(to.channel(), c);
        } else {
            if (unsent == null) {
                unsent = new ArrayDeque<>(2);
            }
            unsent.add(c);
        }
    }

    private void hold(HttpContent c) {
        int n = c.content().readableBytes();
        if (n == 0 && c instanceof LastHttpContent) {
            replayEnd = c.retainedDuplicate();
        } else if (replayBytes + n <= REPLAY_LIMIT) {
            if (replay == null) {
                replay = new ArrayList<>(2);
            }
            replay.add(c.retainedDuplicate());
            replayBytes += n;
        } else {
            stopHolding();
        }
    }

    private void send(Channel ch, HttpContent c) {
        sentSome = true;
        if (c instanceof LastHttpContent) {
            ch.write(c).addListener(this);
        } else {
            ch.write(c, ch.voidPromise());
        }
    }

    /** The request ended early (a malformed chunk): nothing more will come. */
    void markReceived() {
        received = true;
    }

    /** The client's read is over: what it brought goes out, and more is read while the connection keeps up. */
    void clientReadComplete() {
        if (to != null) {
            to.channel().flush();
            readMore();
        }
    }

    /** Asks the client for more of the body while the connection takes it (its outbound buffer is under the mark). */
    void readMore() {
        if (!received && to != null && to.channel().isWritable()) {
            client.read();
        }
    }

    /** Whether the client has sent the whole request. */
    boolean received() {
        return received;
    }

    /** Whether the request's head (or all of it) reached the current attempt's server. */
    boolean reachedServer() {
        return sent != Sent.NOTHING;
    }

    /** Whether the current attempt's connection took the whole request: only then may it carry another. */
    boolean allSent() {
        return sent == Sent.ALL;
    }

    /** Whether a new attempt can send the whole body again: nothing went out yet, or all that did is still held. */
    boolean intact() {
        return !sentSome || holding;
    }

    /** The response has started (or the body outgrew the limit): no replay can happen any more. */
    void stopHolding() {
        holding = false;
        releaseAll(replay);
        if (replayEnd != null) {
            replayEnd.release();
            replayEnd = null;
        }
    }

    /** Lets go of everything still held or queued. */
    void release() {
        to = null;
        releaseAll(unsent);
        stopHolding();
    }

    private static void releaseAll(Collection<? extends HttpContent> contents) {
        if (contents == null) {
            return;
        }
        for (HttpContent c : contents) {
            c.release();
        }
        contents.clear();
    }
}
