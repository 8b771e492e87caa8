package com.foobar.balancer.proxy;

import com.foobar.balancer.metrics.BalancerMetrics;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

/** The balancer's own responses: short plain text that says what went wrong, one line. */
final class ErrorResponses {

    /** Seconds a client is told to wait before retrying when no server can take its request. */
    static final String RETRY_AFTER_SECONDS = "1";

    private ErrorResponses() {
    }

    /** A short one-line answer, with the request's {@code X-Request-Id} unless that is {@link BalancerMetrics#NONE}. */
    static FullHttpResponse create(ByteBufAllocator alloc, HttpResponseStatus status, String reason, boolean close,
            String requestId) {
        String text = status.code() + " " + status.reasonPhrase() + ": " + reason + "\n";
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                ByteBufUtil.writeUtf8(alloc, text));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes())
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        if (status.code() == 503) {
            response.headers().set(HttpHeaderNames.RETRY_AFTER, RETRY_AFTER_SECONDS);
        }
        if (close) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        if (!BalancerMetrics.NONE.equals(requestId)) {
            response.headers().set(HeaderRewriter.X_REQUEST_ID, requestId);
        }
        return response;
    }
}
