package com.foobar.balancer.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

/**
 * {@code max_body_size}: a request whose {@code Content-Length} is over the limit gets 413 at once, before anything
 * reaches a server (and before a {@code 100 Continue}). A chunked body is counted as it streams; when it passes the
 * limit, the connection is answered 413 if possible and closed, which aborts the upstream exchange.
 */
final class BodySizeLimitHandler extends ChannelInboundHandlerAdapter {

    private final long max;
    private final RejectionListener rejections;
    private long seen;
    private boolean refusing;

    BodySizeLimitHandler(long max, RejectionListener rejections) {
        this.max = max;
        this.rejections = rejections;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (refusing) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpRequest req && !req.decoderResult().isFailure()) {
            seen = 0;
            long declared = declaredLength(req);
            if (declared > max) {
                refuse(ctx, msg, "request body of " + declared + " bytes is over the limit of " + max);
                return;
            }
        }
        if (msg instanceof HttpContent c) {
            seen += c.content().readableBytes();
            if (seen > max) {
                refuse(ctx, msg, "request body is over the limit of " + max + " bytes");
                return;
            }
            if (msg instanceof LastHttpContent) {
                seen = 0;
            }
        }
        ctx.fireChannelRead(msg);
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

    private void refuse(ChannelHandlerContext ctx, Object msg, String reason) {
        refusing = true;
        ReferenceCountUtil.release(msg);
        rejections.rejected(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE.code());
        ErrorReplies.sendAndClose(ctx, ErrorReplies.response(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, reason));
    }
}
