package com.foobar.balancer.proxy;

import com.foobar.balancer.config.ClientTimeouts;
import com.foobar.balancer.config.ListenerConfig;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;

/**
 * A client connection's pipeline, one concern per handler:
 * <pre>
 *   [issue 7 slots: tls, acl, rate-limit, ...]  client-timeouts  http (codec, strict)  proxy
 * </pre>
 * Handlers that must see raw bytes (TLS, connection ACLs, rate limits) go in front of {@link #CLIENT_TIMEOUTS};
 * handlers that judge requests go between {@link #HTTP_CODEC} and {@link #PROXY}.
 */
final class ProxyInitializer extends ChannelInitializer<Channel> {

    static final String CLIENT_TIMEOUTS = ProxyListener.CLIENT_TIMEOUTS;
    static final String HTTP_CODEC = ProxyListener.HTTP_CODEC;
    static final String PROXY = ProxyListener.PROXY;

    /** Long enough for real URLs and cookies; beyond it the client gets 414 / 431. */
    static final int MAX_INITIAL_LINE = 8 * 1024;
    static final int MAX_HEADER_SIZE = 16 * 1024;
    /** Bodies stream in pieces of at most this size. */
    static final int MAX_CHUNK_SIZE = 64 * 1024;

    private final ProxyContext proxy;
    private final ListenerState listener;
    private final ListenerConfig config;
    private final ClientPipelineConfigurer configurer;

    ProxyInitializer(ProxyContext proxy, ListenerState listener, ListenerConfig config,
            ClientPipelineConfigurer configurer) {
        this.proxy = proxy;
        this.listener = listener;
        this.config = config;
        this.configurer = configurer;
    }

    static HttpDecoderConfig decoderConfig() {
        return new HttpDecoderConfig()
                .setMaxInitialLineLength(MAX_INITIAL_LINE)
                .setMaxHeaderSize(MAX_HEADER_SIZE)
                .setMaxChunkSize(MAX_CHUNK_SIZE);
    }

    @Override
    protected void initChannel(Channel ch) {
        ClientTimeouts timeouts = proxy.clientTimeouts();
        ch.pipeline()
                .addLast(CLIENT_TIMEOUTS, new ClientTimeoutHandler(timeouts.header().toNanos(),
                        timeouts.idle().toNanos(), listener.requestTimeoutResponse(timeouts.header())))
                .addLast(HTTP_CODEC, new HttpServerCodec(decoderConfig()))
                .addLast(PROXY, new FrontendHandler(proxy, listener));
        configurer.configure(ch.pipeline(), config);
    }
}
