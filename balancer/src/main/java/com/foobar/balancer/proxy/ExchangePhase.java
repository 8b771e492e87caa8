package com.foobar.balancer.proxy;

/**
 * Where a {@link ProxyExchange} stands: one field instead of a flag per fact, so that every event checks one thing and
 * a late event (a connect that completes after the client left, a timer after the end) is recognised by it. Phases
 * only move forward, except a retry, which goes back to {@link #CONNECTING}.
 */
enum ExchangePhase {
    /** The head is read and being routed; no server yet. */
    ROUTING,
    /** A server is chosen; its connection is being made. */
    CONNECTING,
    /** Bound to an upstream connection: the request goes out, the response head has not come. */
    FORWARDING,
    /** The response head went to the client; its body streams. Nothing can be retried or answered instead now. */
    RESPONDING,
    /** Over: every later event is ignored, everything the exchange held is released. */
    DONE
}
