package com.foobar.balancer.proxy;

import com.foobar.balancer.upstream.UpstreamServer;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpClientCodec;

import java.net.InetSocketAddress;

/** An upstream connection's pipeline: the HTTP/1.1 client codec (strict parsing) and the proxy's backend end. */
final class BackendInitializer extends ChannelInitializer<Channel> {
    static final String HTTP = "http";
    static final String BACKEND = "backend";
    static final String TUNNEL = "tunnel";

    private final BackendConnectionPools pools;
    private final UpstreamServer server;
    private final InetSocketAddress address;

    BackendInitializer(BackendConnectionPools pools, UpstreamServer server, InetSocketAddress address) {
        this.pools = pools;
        this.server = server;
        this.address = address;
    }

    /**
     * The connection after the server switched protocols: the tunnel's splice takes the place of the HTTP codec and
     * the backend end. Added first, so that what the codec read beyond the {@code 101} reaches it as bytes.
     */
    static void toTunnel(ChannelPipeline p, ChannelHandler splice) {
        p.addLast(TUNNEL, splice);
        p.remove(BACKEND);
        p.remove(HTTP);
    }

    @Override
    protected void initChannel(Channel ch) {
        ch.pipeline()
                .addLast(HTTP, new HttpClientCodec(ProxyInitializer.decoderConfig(), false, false))
                .addLast(BACKEND, new BackendHandler(pools, server, address));
    }
}
