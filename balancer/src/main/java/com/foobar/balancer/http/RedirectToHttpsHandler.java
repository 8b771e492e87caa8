package com.foobar.balancer.http;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.ReferenceCountUtil;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * Answers every request with {@code 308 Permanent Redirect} to the same host and target on the HTTPS port. 308 (not
 * 301) so that a POST stays a POST. The connection closes after the answer: nothing is proxied from this listener.
 */
@ChannelHandler.Sharable
final class RedirectToHttpsHandler extends ChannelInboundHandlerAdapter {

    static final int DEFAULT_HTTPS_PORT = 443;

    private final int httpsPort;

    RedirectToHttpsHandler(int httpsPort) {
        this.httpsPort = httpsPort;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof HttpRequest req)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        try {
            if (req.decoderResult().isFailure()) {
                // Malformed input is the proxy's to judge (it knows 400 from 414 from 431).
                ctx.fireChannelRead(ReferenceCountUtil.retain(msg));
                return;
            }
            String location = location(req);
            FullHttpResponse r;
            if (location == null) {
                r = ErrorReplies.response(HttpResponseStatus.BAD_REQUEST,
                        "a Host header with a valid host name is needed to redirect to https");
            } else {
                r = ErrorReplies.response(HttpResponseStatus.PERMANENT_REDIRECT, "moved to " + location);
                r.headers().set(HttpHeaderNames.LOCATION, location);
            }
            ErrorReplies.sendAndClose(ctx, r);
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    /** The https URL for {@code req}, or null when it names no usable host. */
    String location(HttpRequest req) {
        String target = req.uri();
        String host = req.headers().get(HttpHeaderNames.HOST);
        if (!target.startsWith("/")) {
            try {
                URI u = new URI(target);
                if (u.getHost() != null) {
                    host = u.getHost();
                }
                target = (u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath())
                        + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
            } catch (URISyntaxException e) {
                return null;
            }
        }
        host = hostWithoutPort(host);
        if (host == null) {
            return null;
        }
        return "https://" + host + (httpsPort == DEFAULT_HTTPS_PORT ? "" : ":" + httpsPort) + target;
    }

    static String hostWithoutPort(String host) {
        if (host == null || host.isEmpty()) {
            return null;
        }
        String h = host;
        if (h.startsWith("[")) {
            int close = h.indexOf(']');
            if (close < 0) {
                return null;
            }
            h = h.substring(0, close + 1);
        } else {
            int colon = h.indexOf(':');
            if (colon >= 0) {
                h = h.substring(0, colon);
            }
        }
        for (int i = 0; i < h.length(); i++) {
            char c = h.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'
                    || c == '.' || c == '[' || c == ']' || c == ':';
            if (!ok) {
                return null;
            }
        }
        return h.isEmpty() ? null : h;
    }
}
