package com.foobar.balancer.lb;

/** A server with figures set by the test; selectors do no I/O, so this is all they need. */
final class FakeEndpoint implements Endpoint {
    final String name;
    final int weight;
    double effectiveWeight;
    int inFlight;
    double latency;
    boolean usable = true;

    FakeEndpoint(String name, int weight) {
        this.name = name;
        this.weight = weight;
        this.effectiveWeight = weight;
    }

    FakeEndpoint(String name) {
        this(name, 1);
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
        return effectiveWeight;
    }

    @Override
    public int inFlight() {
        return inFlight;
    }

    @Override
    public double latencyEwmaNanos() {
        return latency;
    }

    @Override
    public String toString() {
        return name;
    }
}
