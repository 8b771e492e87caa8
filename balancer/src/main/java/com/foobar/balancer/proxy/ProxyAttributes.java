package com.foobar.balancer.proxy;

import io.netty.util.AttributeKey;

/** Channel attributes handlers in front of the proxy (TLS termination) set for it to forward. */
public final class ProxyAttributes {

    /** The scheme the client used, forwarded as X-Forwarded-Proto; {@code http} when unset. */
    public static final AttributeKey<String> FORWARDED_PROTO = AttributeKey.valueOf("balancer.forwardedProto");

    private ProxyAttributes() {
    }
}
