package com.foobar.balancer.metrics;

/** What the server gauges read, at scrape time only. */
public interface ServerGaugeSource {
    int inFlight();

    /** {@code up}, {@code down}, {@code draining} or {@code ejected}. */
    String stateName();

    double effectiveWeight();
}
