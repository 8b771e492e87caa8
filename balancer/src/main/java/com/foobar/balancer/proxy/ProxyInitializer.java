package com.foobar.balancer.proxy;

import com.foobar.balancer.accesslog.AccessLogEntry;
import com.foobar.balancer.config.ClientTimeouts;
import com.foobar.balancer.config.ListenerConfig;
import com.foobar.balancer.firewall.Firewall;
import com.foobar.balancer.http.HttpGuards;
import com.foobar.balancer.http.Http2Negotiator;
import com.foobar.balancer.tls.TlsTerminator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Builds every client pipeline, in the order its handlers see bytes coming in; reading this class is reading the
 * pipeline. An HTTP/1.1 connection (names in {@link ProxyListener}, {@link Firewall}, {@link TlsTerminator},
 * {@link HttpGuards}; [ ] only when configured):
 * <pre>
 *   [firewall-acl] [firewall-connection-limit]        at accept, before TLS spends a handshake
 *   [tls] [alpn]                                      ALPN h2 swaps what follows for an HTTP/2 codec (Http2Negotiator)
 *   client-timeouts                                   raw bytes: header, idle and send timeouts, the 408
 *   http-obs-fold  http                               folded header lines seen, then decoded
 *   [hsts] http-checks [http-body-limit]              every head passes one handler of checks
 *   [firewall-rate-limit] firewall-forwarded-headers  per request
 *   [https-redirect]
 *   proxy
 * </pre>
 * An HTTP/2 stream runs the same request handling behind its own codec; its connection keeps the accept-time guards
 * and TLS:
 * <pre>
 *   h2-stream-codec  h2-stream-stall  http  [hsts] http-checks ... [https-redirect]  proxy
 * </pre>
 * A listener added by a reload has no guards until the next restart: it gets the proxy's own handlers only.
 * <p>A connection whose request switched protocols (a WebSocket, after the server's {@code 101}) becomes a
 * {@link Tunnel}'s ({@link #toTunnel}): what was there before HTTP stays, the rest is replaced:
 * <pre>
 *   [firewall-acl] [firewall-connection-limit] [tls]  tunnel-idle  tunnel
 * </pre>
 */
final class ProxyInitializer extends ChannelInitializer<Channel> {

    static final String CLIENT_TIMEOUTS = ProxyListener.CLIENT_TIMEOUTS;
    static final String HTTP_CODEC = ProxyListener.HTTP_CODEC;
    static final String PROXY = ProxyListener.PROXY;
    static final String H2_STREAM_CODEC = ProxyListener.H2_STREAM_CODEC;
    static final String ALPN = "alpn";
    static final String TUNNEL_IDLE = "tunnel-idle";
    static final String TUNNEL = "tunnel";

    /** Long enough for real URLs and cookies; beyond it the client gets 414 / 431. */
    static final int MAX_INITIAL_LINE = 8 * 1024;
    static final int MAX_HEADER_SIZE = 16 * 1024;
    /** Bodies stream in pieces of at most this size. */
    static final int MAX_CHUNK_SIZE = 64 * 1024;

    private final ProxyContext proxy;
    private final ListenerState listener;
    private final ListenerConfig config;
    private final ListenerGuards.Guards guards;
    private final ClientTimeoutHandler.TimeoutListener timedOut;

    ProxyInitializer(ProxyContext proxy, ListenerState listener, ListenerConfig config, ListenerGuards guards) {
        this.proxy = proxy;
        this.listener = listener;
        this.config = config;
        this.guards = guards.of(config.name());
        this.timedOut = (ctx, phase, answered) -> {
            proxy.metrics().clientTimedOut(listener.name(), phase);
            // A 408 is an answer, so it is logged as HAProxy logs its own; the other timeouts end a connection only.
            if (answered >= 0 && proxy.accessLog().enabled()) {
                proxy.accessLog().log(AccessLogEntry.answeredByBalancer(ctx.channel(), listener.name(),
                        AccessLogEntry.NONE, AccessLogEntry.NONE, 408, answered));
            }
        };
    }

    /** The client codec's decoder settings: the default limits, bodies in pieces, the proxy's headers factory. */
    static HttpDecoderConfig decoderConfig() {
        return new HttpDecoderConfig()
                .setMaxInitialLineLength(MAX_INITIAL_LINE)
                .setMaxHeaderSize(MAX_HEADER_SIZE)
                .setMaxChunkSize(MAX_CHUNK_SIZE)
                .setHeadersFactory(HeaderRewriter.HEADERS);
    }

    @Override
    protected void initChannel(Channel ch) {
        if (ch instanceof Http2StreamChannel) {
            initStream(ch);
            return;
        }
        ClientTimeouts timeouts = proxy.clientTimeouts();
        ch.attr(ProxyAttributes.CLIENT_TIMEOUTS).set(timeouts);
        ChannelPipeline p = ch.pipeline();
        if (guards != null) {
            guards.firewall().addConnectionGuards(p);
        }
        if (guards != null && guards.tls() != null) {
            ch.attr(ProxyAttributes.FORWARDED_PROTO).set("https");
            guards.tls().addTo(p);
            if (guards.offersH2()) {
                p.addLast(ALPN, new Http2Negotiator(config.limits(), config.http2(), this, timeouts, PROXY));
            }
        }
        p.addLast(CLIENT_TIMEOUTS, new ClientTimeoutHandler(timeouts.header().toNanos(), timeouts.idle().toNanos(),
                timeouts.send().toNanos(), listener.requestTimeoutResponse(timeouts.header()), timedOut));
        if (guards != null) {
            guards.http().addObsFoldDetector(p);
        }
        p.addLast(HTTP_CODEC, new HttpServerCodec(decoderConfig()
                .setMaxInitialLineLength(config.limits().maxRequestLine())
                .setMaxHeaderSize(config.limits().maxHeaderSize())));
        addRequestHandling(p);
    }

    /**
     * The connection after its request switched protocols: from the client timeouts on, every handler reads HTTP and
     * goes; the tunnel's idle watch ({@code client_timeouts.tunnel}, both directions) and its splice take their place.
     * They are added first and the HTTP handlers removed last to first, so that what the codec had read beyond the
     * handshake reaches the splice as bytes.
     */
    static void toTunnel(ChannelPipeline p, ChannelHandler splice, Duration idle) {
        p.addLast(TUNNEL_IDLE, new IdleStateHandler(0, 0, idle.toNanos(), TimeUnit.NANOSECONDS));
        p.addLast(TUNNEL, splice);
        List<String> names = p.names();
        int from = names.indexOf(CLIENT_TIMEOUTS);
        if (from < 0) {
            from = names.indexOf(HTTP_CODEC); // a pipeline built without client timeouts (tests)
        }
        List<String> http = new ArrayList<>(names.subList(from, names.indexOf(TUNNEL_IDLE)));
        Collections.reverse(http);
        for (String name : http) {
            p.remove(name);
        }
    }

    /**
     * One HTTP/2 stream, one request: frames become HTTP/1.1 objects and from {@link #HTTP_CODEC} on the stream runs
     * what a connection runs. Reads stay explicit, so a stream's flow-control window gives the backpressure. The
     * connection's timeouts and connection-level guards stay on the parent.
     */
    private void initStream(Channel ch) {
        ch.config().setAutoRead(false);
        ChannelPipeline p = ch.pipeline();
        p.addLast(H2_STREAM_CODEC, new Http2StreamFrameToHttpObjectCodec(true));
        if (guards != null) {
            if (guards.tls() != null) {
                ch.attr(ProxyAttributes.FORWARDED_PROTO).set("https");
            }
            ClientTimeouts timeouts = ((Http2StreamChannel) ch).parent().attr(ProxyAttributes.CLIENT_TIMEOUTS).get();
            guards.http().addStreamStallHandler(p, timeouts == null ? ClientTimeouts.DEFAULT_IDLE : timeouts.idle(),
                    timeouts == null ? ClientTimeouts.DEFAULT_SEND : timeouts.send());
        }
        p.addLast(HTTP_CODEC, new FullRequestSplitter());
        addRequestHandling(p);
    }

    /** Behind the codec, on a connection and a stream alike: the request guards, then the proxy. */
    private void addRequestHandling(ChannelPipeline p) {
        if (guards != null) {
            guards.http().addRequestChecks(p);
            guards.firewall().addRequestGuards(p);
            guards.http().addRedirect(p);
        }
        p.addLast(PROXY, new FrontendHandler(proxy, listener));
    }

    /**
     * A stream whose HEADERS end it decodes to a {@link FullHttpRequest}; the proxy and the guards expect the head
     * and the end as separate messages, as an HTTP/1.1 decoder gives them.
     */
    static final class FullRequestSplitter extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof FullHttpRequest full) {
                DefaultHttpRequest head = new DefaultHttpRequest(full.protocolVersion(), full.method(), full.uri(),
                        full.headers());
                head.setDecoderResult(full.decoderResult());
                ctx.fireChannelRead(head);
                ctx.fireChannelRead(new DefaultLastHttpContent(full.content(), full.trailingHeaders()));
            } else {
                ctx.fireChannelRead(msg);
            }
        }
    }
}
