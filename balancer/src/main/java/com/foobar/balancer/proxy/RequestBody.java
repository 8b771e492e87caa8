package com.foobar.balancer.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;

/**
 * A request's body on its way through: the pieces waiting for an upstream connection, and a copy of what was sent,
 * held (up to {@link #REPLAY_LIMIT}) until the response starts so that a failed attempt can be replayed elsewhere. The
 * copies share the client's buffers (retained duplicates), so holding costs no copying. Nothing is allocated for a
 * request without a body: its empty end is kept by reference, not in a list. Whoever sends it names the listener that
 * hears when the end of the request reached the socket: only then may that connection carry another request.
 */
final class RequestBody {

    /** Request bodies up to this size are kept until the response starts, so an idempotent request can be replayed. */
    static final int REPLAY_LIMIT = 64 * 1024;

    private ArrayDeque<HttpContent> unsent;
    private ArrayList<HttpContent> replay;
    /** The end of the request when it carries no bytes (most requests): held here instead of in {@link #replay}. */
    private HttpContent replayEnd;
    private int replayBytes;
    private boolean holding = true;
    private boolean sentSome;
    private boolean received;

    /** Whether the client has sent the whole request. */
    boolean received() {
        return received;
    }

    /** The request ended early (a malformed chunk): nothing more will come. */
    void markReceived() {
        received = true;
    }

    /**
     * Whether a new attempt can send the whole body again: nothing of it went out yet, or everything that did is
     * still held.
     */
    boolean intact() {
        return !sentSome || holding;
    }

    /** Takes a piece from the client and keeps a copy for a replay while the body fits the limit. */
    void receive(HttpContent c) {
        if (c instanceof LastHttpContent) {
            received = true;
        }
        if (!holding) {
            return;
        }
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

    /** The response has started (or the body outgrew the limit): no replay can happen any more. */
    void stopHolding() {
        holding = false;
        releaseAll(replay);
        if (replayEnd != null) {
            replayEnd.release();
            replayEnd = null;
        }
    }

    /** Keeps a piece until an upstream connection takes it. */
    void queue(HttpContent c) {
        if (unsent == null) {
            unsent = new ArrayDeque<>(2);
        }
        unsent.add(c);
    }

    /**
     * Sends a fresh attempt's connection what the client sent so far: the held copies when an earlier attempt already
     * sent some (the queued pieces are among them), else the queued pieces. Not flushed.
     *
     * @param end hears when the end of the request reached {@code ch}'s socket
     */
    void sendPending(Channel ch, ChannelFutureListener end) {
        if (sentSome) {
            releaseAll(unsent);
            if (replay != null) {
                for (HttpContent c : replay) {
                    send(ch, c.retainedDuplicate(), end);
                }
            }
            if (replayEnd != null) {
                send(ch, replayEnd.retainedDuplicate(), end);
            }
        } else if (unsent != null) {
            HttpContent c;
            while ((c = unsent.poll()) != null) {
                send(ch, c, end);
            }
        }
    }

    /**
     * Writes one piece to the current attempt's connection (not flushed); only the end of the request gets a promise,
     * which {@code end} hears, so a body's middle costs no promise per piece.
     */
    void send(Channel ch, HttpContent c, ChannelFutureListener end) {
        sentSome = true;
        if (c instanceof LastHttpContent) {
            ch.write(c).addListener(end);
        } else {
            ch.write(c, ch.voidPromise());
        }
    }

    /** Lets go of everything still held or queued. */
    void release() {
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
