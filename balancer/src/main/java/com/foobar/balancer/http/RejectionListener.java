package com.foobar.balancer.http;

import io.netty.channel.ChannelHandlerContext;

/** Told when a guard handler refuses a request before it reaches the proxy: for the metrics and the access log. */
@FunctionalInterface
public interface RejectionListener {
    /**
     * @param method the refused request's method, or {@code -} when it was refused before its head was decoded
     * @param uri    its target, or {@code -}
     * @param bytes  the body bytes of the refusal sent, 0 when the connection was only closed
     */
    void rejected(ChannelHandlerContext ctx, String method, String uri, int status, long bytes);
}
