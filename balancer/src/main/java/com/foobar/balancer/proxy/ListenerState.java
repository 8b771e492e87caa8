package com.foobar.balancer.proxy;

import com.foobar.balancer.config.ListenerConfig;
import io.netty.channel.group.ChannelGroup;

import java.time.Duration;

/** Per-listener state the frontend handlers share: its name, its routes (swapped on reload) and its connections. */
final class ListenerState {

    private final String name;
    private final ChannelGroup clients;
    private volatile Router router;
    private volatile String port;
    private volatile boolean draining;
    private volatile TimeoutResponse timeoutResponse;

    private record TimeoutResponse(Duration header, byte[] bytes) {
    }

    ListenerState(ListenerConfig config, ChannelGroup clients) {
        this.name = config.name();
        this.router = new Router(config);
        this.clients = clients;
    }

    String name() {
        return name;
    }

    Router router() {
        return router;
    }

    void router(Router router) {
        this.router = router;
    }

    /** The bound port as forwarded in X-Forwarded-Port. */
    String port() {
        return port;
    }

    void port(int port) {
        this.port = Integer.toString(port);
    }

    ChannelGroup clients() {
        return clients;
    }

    /** The raw 408 for a header timeout, built once per timeout value. */
    byte[] requestTimeoutResponse(Duration header) {
        TimeoutResponse r = timeoutResponse;
        if (r == null || !r.header().equals(header)) {
            r = new TimeoutResponse(header, ClientTimeoutHandler.requestTimeoutResponse(header));
            timeoutResponse = r;
        }
        return r.bytes();
    }

    boolean draining() {
        return draining;
    }

    void draining(boolean draining) {
        this.draining = draining;
    }
}
