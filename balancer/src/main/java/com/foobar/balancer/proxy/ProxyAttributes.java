package com.foobar.balancer.proxy;

import com.foobar.balancer.config.ClientTimeouts;
import io.netty.channel.ChannelHandler;
import io.netty.util.AttributeKey;

/** Channel attributes handlers in front of the proxy (TLS termination) set for it to forward. */
public final class ProxyAttributes {

    /** The scheme the client used, forwarded as X-Forwarded-Proto; {@code http} when unset. */
    public static final AttributeKey<String> FORWARDED_PROTO = AttributeKey.valueOf("balancer.forwardedProto");

    /**
     * Set on each client connection by the proxy: the initializer that builds an HTTP/2 stream's pipeline, so a
     * handler that negotiates h2 can give each stream the same request handling an HTTP/1.1 connection gets.
     */
    public static final AttributeKey<ChannelHandler> STREAM_INITIALIZER =
            AttributeKey.valueOf("balancer.streamInitializer");

    /**
     * Set on each client connection by the proxy: the {@code client_timeouts} in force when it was accepted, for
     * handlers that time an HTTP/2 connection and its streams the way the proxy times an HTTP/1.1 connection.
     */
    public static final AttributeKey<ClientTimeouts> CLIENT_TIMEOUTS = AttributeKey.valueOf("balancer.clientTimeouts");

    private ProxyAttributes() {
    }
}
