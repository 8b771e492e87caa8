package com.foobar.balancer.proxy;

import com.foobar.balancer.accesslog.AccessLogEntry;
import com.foobar.balancer.config.ClientTimeouts;
import com.foobar.balancer.config.ListenerConfig;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;

/**
 * A client connection's pipeline, one concern per handler. This class puts in the proxy's own handlers,
 * {@link #CLIENT_TIMEOUTS}, {@link #HTTP_CODEC} and {@link #PROXY}; the {@link ClientPipelineConfigurer} then adds the
 * security guards around them, and its class comment ({@code http.ListenerPipelines}) shows the whole order. Handlers
 * that must see raw bytes (TLS, connection ACLs) go in front of {@link #CLIENT_TIMEOUTS}; handlers that judge
 * requests go between {@link #HTTP_CODEC} and {@link #PROXY}.
 */
final class ProxyInitializer extends ChannelInitializer<Channel> {

    static final String CLIENT_TIMEOUTS = ProxyListener.CLIENT_TIMEOUTS;
    static final String HTTP_CODEC = ProxyListener.HTTP_CODEC;
    static final String PROXY = ProxyListener.PROXY;
    static final String H2_STREAM_CODEC = ProxyListener.H2_STREAM_CODEC;

    /** Long enough for real URLs and cookies; beyond it the client gets 414 / 431. */
    static final int MAX_INITIAL_LINE = 8 * 1024;
    static final int MAX_HEADER_SIZE = 16 * 1024;
    /** Bodies stream in pieces of at most this size. */
    static final int MAX_CHUNK_SIZE = 64 * 1024;

    private final ProxyContext proxy;
    private final ListenerState listener;
    private final ListenerConfig config;
    private final ClientPipelineConfigurer configurer;
    private final ClientTimeoutHandler.TimeoutListener timedOut;

    ProxyInitializer(ProxyContext proxy, ListenerState listener, ListenerConfig config,
            ClientPipelineConfigurer configurer) {
        this.proxy = proxy;
        this.listener = listener;
        this.config = config;
        this.configurer = configurer;
        this.timedOut = (ctx, phase, answered) -> {
            proxy.metrics().clientTimedOut(listener.name(), phase);
            // A 408 is an answer, so it is logged as HAProxy logs its own; the other timeouts end a connection only.
            if (answered >= 0 && proxy.accessLog().enabled()) {
                proxy.accessLog().log(AccessLogEntry.answeredByBalancer(ctx.channel(), listener.name(),
                        AccessLogEntry.NONE, AccessLogEntry.NONE, 408, answered));
            }
        };
    }

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
        ch.attr(ProxyAttributes.STREAM_INITIALIZER).set(this);
        ClientTimeouts timeouts = proxy.clientTimeouts();
        ch.attr(ProxyAttributes.CLIENT_TIMEOUTS).set(timeouts);
        ch.pipeline()
                .addLast(CLIENT_TIMEOUTS, new ClientTimeoutHandler(timeouts.header().toNanos(),
                        timeouts.idle().toNanos(), timeouts.send().toNanos(),
                        listener.requestTimeoutResponse(timeouts.header()), timedOut))
                .addLast(HTTP_CODEC, new HttpServerCodec(decoderConfig()))
                .addLast(PROXY, new FrontendHandler(proxy, listener));
        configurer.configure(ch.pipeline(), config);
    }

    /**
     * One HTTP/2 stream, one request: frames become HTTP/1.1 objects and from {@link #HTTP_CODEC} on the stream runs
     * what a connection runs. Reads stay explicit, so a stream's flow-control window gives the backpressure. The
     * connection's timeouts and connection-level guards stay on the parent.
     */
    private void initStream(Channel ch) {
        ch.config().setAutoRead(false);
        ch.pipeline()
                .addLast(H2_STREAM_CODEC, new Http2StreamFrameToHttpObjectCodec(true))
                .addLast(HTTP_CODEC, new FullRequestSplitter())
                .addLast(PROXY, new FrontendHandler(proxy, listener));
        configurer.configure(ch.pipeline(), config);
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
