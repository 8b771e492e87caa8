package com.foobar.balancer.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code max_body_size}: a request whose {@code Content-Length} is over the limit gets 413 at once, before anything
 * reaches a server (and before a {@code 100 Continue}). A body of unknown length (chunked, or an h2 stream without
 * {@code content-length}) is counted as it comes:
 * <ul>
 *   <li>when the limit is at most {@link #HOLD_LIMIT}, the request is held back until its body is complete, as
 *       HttpObjectAggregator does, so an overrun gets 413 and nothing has reached a server;</li>
 *   <li>above that the body streams to the server, and an overrun is answered 413 while no response has started
 *       (else the connection is just closed), which aborts the upstream exchange.</li>
 * </ul>
 * Either way the connection (or h2 stream) is closed after the refusal.
 */
final class BodySizeLimitHandler extends RequestRefusingHandler {

    /** The largest body held back whole to judge it before any of it goes upstream. */
    static final long HOLD_LIMIT = 64 * 1024;

    private final long max;
    private long seen;
    private boolean responseStarted;
    /** The head and chunks of a request of unknown length held back while its body is at most the limit. */
    private List<Object> held;

    BodySizeLimitHandler(long max, RejectionListener rejections) {
        super(rejections);
        this.max = max;
    }

    @Override
    void judge(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest req && !req.decoderResult().isFailure()) {
            seen = 0;
            responseStarted = false;
            long declared = declaredLength(req);
            if (declared > max) {
                tooLarge(ctx, msg, "request body of " + declared + " bytes is over the limit of " + max);
                return;
            }
            // A client waiting for 100 Continue would wait for ever on a held head.
            if (declared < 0 && max <= HOLD_LIMIT && !(msg instanceof LastHttpContent)
                    && !HttpUtil.is100ContinueExpected(req)) {
                held = new ArrayList<>(4);
                held.add(msg);
                return;
            }
        }
        if (msg instanceof HttpContent c) {
            seen += c.content().readableBytes();
            if (seen > max) {
                tooLarge(ctx, msg, "request body is over the limit of " + max + " bytes");
                return;
            }
            if (held != null) {
                held.add(msg);
                if (msg instanceof LastHttpContent) {
                    List<Object> whole = held;
                    held = null;
                    whole.forEach(ctx::fireChannelRead);
                }
                return;
            }
            if (msg instanceof LastHttpContent) {
                seen = 0;
            }
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof HttpResponse r && r.status().codeClass() != HttpStatusClass.INFORMATIONAL) {
            responseStarted = true;
        }
        ctx.write(msg, promise);
    }

    private static long declaredLength(HttpRequest req) {
        if (!req.headers().contains(HttpHeaderNames.CONTENT_LENGTH)) {
            return -1;
        }
        try {
            return HttpUtil.getContentLength(req, -1L);
        } catch (NumberFormatException e) {
            return -1; // the codec has already judged it
        }
    }

    private void tooLarge(ChannelHandlerContext ctx, Object msg, String reason) {
        releaseHeld();
        if (responseStarted) {
            // The server is already answering: a second response cannot follow, so the close is the answer.
            refuseSilently(ctx, msg, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE);
            ctx.close();
            return;
        }
        refuse(ctx, msg, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, reason);
    }

    private void releaseHeld() {
        if (held != null) {
            held.forEach(ReferenceCountUtil::release);
            held = null;
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releaseHeld();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releaseHeld();
        ctx.fireChannelInactive();
    }
}
