package com.foobar.balancer.proxy;

/**
 * Events the frontend fires from the head of a client pipeline so handlers in front of the HTTP codec (timeouts now;
 * TLS, ACLs and rate limits later) learn where a connection is in its request cycle without knowing the proxy.
 */
public enum ProxyEvents {
    /** A complete request head was decoded. */
    REQUEST_HEAD_RECEIVED,
    /** The response to a request was fully written to the client; the connection stays open for the next one. */
    EXCHANGE_COMPLETE,
    /** The balancer is stopping: finish the request in flight, then close; close right away when idle. */
    DRAIN
}
