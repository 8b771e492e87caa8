package com.foobar.balancer.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

/**
 * The balancer's own answers, all made here: plain text, one line that starts with the status and says why
 * ({@code 503 Service Unavailable: no usable server in pool web}), {@code Cache-Control: no-store}, and
 * {@code Retry-After} on a 503. The proxy, the request guards, the firewall and the client timeouts all answer this way,
 * so a client (or a person reading {@code curl -i}) sees one format whoever refused.
 */
public final class ErrorReplies {

    /** Seconds a client is told to wait before retrying when no server can take its request. */
    public static final String RETRY_AFTER_SECONDS = "1";

    private ErrorReplies() {
    }

    /** An answer saying {@code reason}; with {@code close}, marked {@code Connection: close}. */
    public static FullHttpResponse response(ByteBufAllocator alloc, HttpResponseStatus status, String reason,
            boolean close) {
        String text = status.code() + " " + status.reasonPhrase() + ": " + reason + "\n";
        ByteBuf body = ByteBufUtil.writeUtf8(alloc, text);
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes())
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        if (status.code() == HttpResponseStatus.SERVICE_UNAVAILABLE.code()) {
            r.headers().set(HttpHeaderNames.RETRY_AFTER, RETRY_AFTER_SECONDS);
        }
        if (close) {
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        return r;
    }

    /** A refusal that ends the connection: {@code reason}, marked {@code Connection: close}. */
    public static FullHttpResponse response(HttpResponseStatus status, String reason) {
        return response(UnpooledByteBufAllocator.DEFAULT, status, reason, true);
    }

    /**
     * The same answer as bytes on the wire (HTTP/1.1, {@code Connection: close}), for a handler below the HTTP codec
     * that writes raw bytes. Netty's own encoder writes them, once, when the caller builds its answer.
     */
    public static byte[] encoded(HttpResponseStatus status, String reason) {
        EmbeddedChannel encoder = new EmbeddedChannel(new HttpResponseEncoder());
        try {
            encoder.writeOutbound(response(status, reason));
            ByteBuf wire = encoder.alloc().buffer();
            for (ByteBuf part; (part = encoder.readOutbound()) != null; ) {
                wire.writeBytes(part);
                part.release();
            }
            try {
                return ByteBufUtil.getBytes(wire);
            } finally {
                wire.release();
            }
        } finally {
            encoder.finishAndReleaseAll();
        }
    }

    /** Writes {@code response} and closes the connection once it is out. */
    public static void sendAndClose(ChannelHandlerContext ctx, FullHttpResponse response) {
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
}
