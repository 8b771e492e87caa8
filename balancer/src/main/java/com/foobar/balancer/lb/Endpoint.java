package com.foobar.balancer.lb;

/** What a selector needs to know about a server. Upstream servers implement it; reads must be cheap and lock-free. */
public interface Endpoint {
    /** Stable identity, also what hash rings are built from (so a changed address keeps its keys). */
    String name();

    /** The configured weight, 1 or more. */
    int weight();

    /** The weight to balance with now: below {@link #weight()} while a returning server ramps up (slow start). */
    double effectiveWeight();

    /** Requests sent to this server and not finished yet. */
    int inFlight();

    /** Peak-EWMA latency in nanoseconds, decayed to now; 0 when nothing was measured yet. */
    double latencyEwmaNanos();
}
