package com.foobar.balancer.proxy;

/**
 * What a response's framing leaves of the two connections once it has been relayed: whether the upstream connection
 * can carry another request (the server delimited the body and wants to keep the connection), and whether the client
 * connection must close (the client asked for it, the balancer is draining, or an HTTP/1.0 client gets a body whose end
 * only a close can mark). Decided once, from the response head, by {@link HeaderRewriter#toClient}.
 */
enum ResponseFraming {
    BOTH_STAY(true, false),
    CLOSE_CLIENT(true, true),
    CLOSE_UPSTREAM(false, false),
    CLOSE_BOTH(false, true);

    private final boolean upstreamReusable;
    private final boolean closesClient;

    ResponseFraming(boolean upstreamReusable, boolean closesClient) {
        this.upstreamReusable = upstreamReusable;
        this.closesClient = closesClient;
    }

    static ResponseFraming of(boolean upstreamReusable, boolean closesClient) {
        if (upstreamReusable) {
            return closesClient ? CLOSE_CLIENT : BOTH_STAY;
        }
        return closesClient ? CLOSE_BOTH : CLOSE_UPSTREAM;
    }

    boolean upstreamReusable() {
        return upstreamReusable;
    }

    boolean closesClient() {
        return closesClient;
    }
}
