package com.foobar.balancer.firewall;

import com.foobar.balancer.config.FirewallConfig;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.AsciiString;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Keeps {@code X-Forwarded-*}, {@code Forwarded} and {@code X-Real-IP} only when the connection comes from a trusted
 * proxy. From anyone else they are removed here, so the proxy's own rewriting (which appends the peer address to
 * {@code X-Forwarded-For} and sets the rest) replaces them and a client cannot spoof its address to the web servers.
 */
@ChannelHandler.Sharable
final class ForwardedHeadersHandler extends ChannelInboundHandlerAdapter {

    private static final AsciiString FORWARDED = AsciiString.cached("forwarded");
    private static final AsciiString X_REAL_IP = AsciiString.cached("x-real-ip");
    private static final String X_FORWARDED = "x-forwarded-";

    private final FirewallConfig firewall;

    ForwardedHeadersHandler(FirewallConfig firewall) {
        this.firewall = firewall;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest req) {
            InetAddress client = ConnectionRefusingHandler.client(ctx);
            if (client == null || !firewall.trusts(client)) {
                strip(req.headers());
            }
        }
        ctx.fireChannelRead(msg);
    }

    static void strip(HttpHeaders h) {
        h.remove(FORWARDED);
        h.remove(X_REAL_IP);
        List<CharSequence> names = null;
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = h.iteratorCharSequence(); it.hasNext(); ) {
            CharSequence name = it.next().getKey();
            if (name.length() > X_FORWARDED.length()
                    && AsciiString.regionMatches(name, true, 0, X_FORWARDED, 0, X_FORWARDED.length())) {
                if (names == null) {
                    names = new ArrayList<>(4);
                }
                names.add(name);
            }
        }
        if (names != null) {
            for (CharSequence n : names) {
                h.remove(n);
            }
        }
    }
}
