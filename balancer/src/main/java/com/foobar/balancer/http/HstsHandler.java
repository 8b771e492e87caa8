package com.foobar.balancer.http;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.util.AsciiString;

/** Adds the listener's {@code Strict-Transport-Security} to every response that does not set its own. */
@ChannelHandler.Sharable
final class HstsHandler extends ChannelOutboundHandlerAdapter {

    private static final AsciiString STRICT_TRANSPORT_SECURITY = AsciiString.cached("strict-transport-security");

    private final String value;

    HstsHandler(String value) {
        this.value = value;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof HttpResponse r && !r.headers().contains(STRICT_TRANSPORT_SECURITY)) {
            r.headers().set(STRICT_TRANSPORT_SECURITY, value);
        }
        ctx.write(msg, promise);
    }
}
