package com.foobar.balancer.proxy;

/**
 * Events fired through a client pipeline. The per-request signals (request head received, exchange complete) are
 * direct calls from the frontend to {@link ClientTimeoutHandler} instead: two events through the whole pipeline per
 * request cost a measurable share of a small request's CPU.
 */
public enum ProxyEvents {
    /** The balancer is stopping: finish the request in flight, then close; close right away when idle. */
    DRAIN
}
