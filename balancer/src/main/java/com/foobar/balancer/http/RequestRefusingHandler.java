package com.foobar.balancer.http;

import com.foobar.balancer.accesslog.AccessLogEntry;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.ReferenceCountUtil;

/**
 * The shape every request guard shares: judge each decoded message; a refusal answers once (status and a one-line
 * reason), closes, and releases unread whatever the connection or stream still delivers, so nothing after a refused
 * request reaches the proxy. Outbound events pass untouched unless a guard overrides them.
 */
abstract class RequestRefusingHandler extends ChannelDuplexHandler {

    private final RejectionListener rejections;
    private boolean refusing;
    /** The request being judged, for the access log line of a refusal that comes with its body. */
    private String method = AccessLogEntry.NONE;
    private String uri = AccessLogEntry.NONE;

    RequestRefusingHandler(RejectionListener rejections) {
        this.rejections = rejections;
    }

    @Override
    public final void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (refusing) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpRequest r) {
            method = r.method().name();
            uri = r.uri();
        }
        judge(ctx, msg);
    }

    /** Passes {@code msg} on with {@code ctx.fireChannelRead}, changes it, or refuses it with {@link #refuse}. */
    abstract void judge(ChannelHandlerContext ctx, Object msg);

    /** Answers {@code status} with {@code reason}, then closes; {@code msg} and all that follow are released. */
    final void refuse(ChannelHandlerContext ctx, Object msg, HttpResponseStatus status, String reason) {
        FullHttpResponse response = ErrorReplies.response(status, reason);
        refused(ctx, msg, status, response.content().readableBytes());
        ErrorReplies.sendAndClose(ctx, response);
    }

    /** Counts the refusal and releases {@code msg} and all that follow; the caller closes (or answers). */
    final void refuseSilently(ChannelHandlerContext ctx, Object msg, HttpResponseStatus status) {
        refused(ctx, msg, status, 0);
    }

    private void refused(ChannelHandlerContext ctx, Object msg, HttpResponseStatus status, long bytes) {
        refusing = true;
        ReferenceCountUtil.release(msg);
        rejections.rejected(ctx, method, uri, status.code(), bytes);
    }
}
