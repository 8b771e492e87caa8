package com.foobar.balancer.proxy;

import com.foobar.balancer.config.ListenerConfig;
import io.netty.channel.ChannelPipeline;

/**
 * Adds handlers to a new client connection's pipeline after the proxy has built it, e.g. TLS termination before
 * {@link ProxyListener#CLIENT_TIMEOUTS} or an ACL between {@link ProxyListener#HTTP_CODEC} and
 * {@link ProxyListener#PROXY}. Runs on the connection's event loop, once per connection.
 */
@FunctionalInterface
public interface ClientPipelineConfigurer {

    /** Adds nothing. */
    ClientPipelineConfigurer NONE = (pipeline, listener) -> { };

    void configure(ChannelPipeline pipeline, ListenerConfig listener);
}
