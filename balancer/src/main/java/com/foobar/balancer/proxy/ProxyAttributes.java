package com.foobar.balancer.proxy;

import com.foobar.balancer.config.ClientTimeouts;
import io.netty.util.AttributeKey;

/** Channel attributes the pipeline builder sets for the proxy and the HTTP/2 streams of a connection. */
final class ProxyAttributes {

    /** The scheme the client used, forwarded as X-Forwarded-Proto; {@code http} when unset. */
    static final AttributeKey<String> FORWARDED_PROTO = AttributeKey.valueOf("balancer.forwardedProto");

    /**
     * Set on each client connection: the {@code client_timeouts} in force when it was accepted, which its HTTP/2
     * streams are timed by.
     */
    static final AttributeKey<ClientTimeouts> CLIENT_TIMEOUTS = AttributeKey.valueOf("balancer.clientTimeouts");

    private ProxyAttributes() {
    }
}
