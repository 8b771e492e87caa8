package com.foobar.balancer.http;

import com.foobar.balancer.config.ClientTimeouts;
import com.foobar.balancer.config.Http2Config;
import com.foobar.balancer.config.HttpLimitsConfig;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http2.DefaultHttp2WindowUpdateFrame;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a TLS connection whose ALPN settled on h2 into an HTTP/2 connection: the HTTP/1.1 handlers between TLS and
 * the proxy come out, and each stream gets its own pipeline from the proxy's initializer (codec to HTTP/1.1 objects,
 * the request guards, the proxy), so a stream is one proxied request. The proxy handler stays on the connection to
 * keep its bookkeeping (open connections, drain). Anything else ALPN settles on keeps the HTTP/1.1 pipeline.
 */
public final class Http2Negotiator extends ApplicationProtocolNegotiationHandler {

    static final String H2_CODEC = "h2-codec";
    static final String H2_MULTIPLEX = "h2-multiplex";
    /** Rapid reset (CVE-2023-44487): more RST_STREAMs than this per window closes the connection. */
    static final int MAX_RST_FRAMES = 200;
    static final int RST_WINDOW_SECONDS = 30;

    static final String H2_TIMEOUTS = "h2-timeouts";
    static final String H2_FLUSH = "h2-flush";
    /**
     * A close (drain, GOAWAY) waits this long at most for open streams to finish. The frame codec's builder default
     * is 0, which resets them at once; a drain's own deadline, when shorter, still wins (the listener then closes
     * what is left).
     */
    static final Duration GRACEFUL_CLOSE = Duration.ofSeconds(60);

    private final HttpLimitsConfig limits;
    private final Http2Config settings;
    private final ChannelHandler streams;
    private final ClientTimeouts timeouts;
    private final String proxy;

    /**
     * @param streams  the initializer that gives each stream its pipeline
     * @param timeouts the connection's client timeouts, which an HTTP/2 connection keeps
     * @param proxy    the name of the proxy handler: what lies between this handler and it is HTTP/1.1 and comes out
     */
    public Http2Negotiator(HttpLimitsConfig limits, Http2Config settings, ChannelHandler streams,
            ClientTimeouts timeouts, String proxy) {
        super(ApplicationProtocolNames.HTTP_1_1);
        this.limits = limits;
        this.settings = settings;
        this.streams = streams;
        this.timeouts = timeouts;
        this.proxy = proxy;
    }

    @Override
    protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
        if (!ApplicationProtocolNames.HTTP_2.equals(protocol)) {
            return;
        }
        ChannelPipeline p = ctx.pipeline();
        List<String> names = p.names();
        List<String> http1 = new ArrayList<>();
        for (int i = names.indexOf(ctx.name()) + 1; i < names.size(); i++) {
            String n = names.get(i);
            if (n.equals(proxy)) {
                break;
            }
            http1.add(n);
        }
        http1.forEach(p::remove);
        // Netty's defaults also bound CONTINUATION floods (small frames) and empty-frame floods. A header list over
        // max_header_size gets 431 on its stream, as Netty answers a server-side header list that is too large.
        Http2FrameCodec codec = Http2FrameCodecBuilder.forServer()
                .initialSettings(Http2Settings.defaultSettings()
                        .maxConcurrentStreams(settings.maxConcurrentStreams())
                        .initialWindowSize(settings.initialWindowSize())
                        .maxHeaderListSize(limits.maxHeaderSize()))
                .decoderEnforceMaxRstFramesPerWindow(MAX_RST_FRAMES, RST_WINDOW_SECONDS)
                .gracefulShutdownTimeoutMillis(GRACEFUL_CLOSE.toMillis())
                .validateHeaders(true)
                .build();
        p.addBefore(proxy, H2_CODEC, codec);
        p.addBefore(proxy, H2_TIMEOUTS, new Http2ConnectionTimeoutHandler(timeouts.header(),
                timeouts.idle(), codec.connection(), H2_CODEC));
        // Every stream flushes its response on its own, each as its server's answer arrives: gathered here, the
        // responses that came in one turn of the event loop leave in one flush of the connection (one pass of the
        // flow controller, fewer TLS records and socket writes) instead of one each. Netty's FlushConsolidationHandler
        // does this; placed before the multiplexer, it sees the streams' flushes and not the codec's own.
        p.addBefore(proxy, H2_FLUSH, new FlushConsolidationHandler(
                FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true));
        p.addBefore(proxy, H2_MULTIPLEX, new Http2MultiplexHandler(streams));
        int connectionWindowGrowth = settings.initialWindowSize() - Http2Config.DEFAULT_INITIAL_WINDOW_SIZE;
        if (connectionWindowGrowth > 0) {
            // SETTINGS only change stream windows; the connection's own window grows by WINDOW_UPDATE, so one
            // stream can use all of its larger window.
            ctx.channel().writeAndFlush(new DefaultHttp2WindowUpdateFrame(connectionWindowGrowth));
        }
        // Streams read on demand; the connection itself must keep reading to serve them all.
        ctx.channel().config().setAutoRead(true);
    }
}
