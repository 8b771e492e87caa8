package com.foobar.balancer.proxy;

import com.foobar.balancer.upstream.UpstreamServer;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.HttpClientCodec;

import java.net.InetSocketAddress;

/** An upstream connection's pipeline: the HTTP/1.1 client codec (strict parsing) and the proxy's backend end. */
final class BackendInitializer extends ChannelInitializer<Channel> {

    private final BackendConnectionPools pools;
    private final UpstreamServer server;
    private final InetSocketAddress address;

    BackendInitializer(BackendConnectionPools pools, UpstreamServer server, InetSocketAddress address) {
        this.pools = pools;
        this.server = server;
        this.address = address;
    }

    @Override
    protected void initChannel(Channel ch) {
        ch.pipeline()
                .addLast("http", new HttpClientCodec(ProxyInitializer.decoderConfig(), false, false))
                .addLast("backend", new BackendHandler(pools, server, address));
    }
}
