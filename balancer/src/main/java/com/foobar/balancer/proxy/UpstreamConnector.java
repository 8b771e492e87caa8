package com.foobar.balancer.proxy;

import com.foobar.balancer.config.KeepAliveConfig;
import com.foobar.balancer.config.PoolConfig;
import com.foobar.balancer.upstream.UpstreamServer;
import io.netty.channel.EventLoop;

/**
 * Where an exchange gets its connection to a server: an idle one from its event loop's pool, else a new one; and
 * where a connection goes back once an exchange is done with it. Calls come on {@code loop}, the client's loop, which
 * every connection an exchange uses shares.
 */
interface UpstreamConnector {

    /**
     * An idle, open connection to {@code server} on {@code loop}, or null. {@code nowNanos} is the caller's latest
     * clock reading: the proxy reads the clock once per event and shares it.
     */
    BackendHandler acquire(EventLoop loop, UpstreamServer server, long nowNanos);

    /** Opens a connection to {@code server} within {@code pool}'s connect timeout and tells {@code events}. */
    void connect(EventLoop loop, UpstreamServer server, PoolConfig pool, UpstreamEvents events);

    /** Takes back a connection whose exchange completed cleanly: pooled while {@code keepAlive} allows, else closed. */
    void release(BackendHandler connection, KeepAliveConfig keepAlive, long nowNanos);
}
