package com.foobar.bench.lb;

import com.foobar.balancer.lb.Endpoint;

/**
 * A server as a selector sees it, with fixed, varied figures: weights 1 to 3, a few requests in flight, latencies
 * spread over a decade, so that weighted and load-aware algorithms do their real work instead of a tie-break.
 */
final class BenchEndpoint implements Endpoint {

    private final String name;
    private final int weight;
    private final int inFlight;
    private final double latencyEwmaNanos;

    BenchEndpoint(int index) {
        this.name = "server-" + index;
        this.weight = 1 + index % 3;
        this.inFlight = (index * 7) % 5;
        this.latencyEwmaNanos = 1_000_000.0 * (1 + (index * 13) % 10);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int weight() {
        return weight;
    }

    @Override
    public double effectiveWeight() {
        return weight;
    }

    @Override
    public int inFlight() {
        return inFlight;
    }

    @Override
    public double latencyEwmaNanos() {
        return latencyEwmaNanos;
    }
}
