package com.foobar.balancer.http;

/** Told when a guard handler refuses a request before it reaches the proxy (for metrics). */
@FunctionalInterface
public interface RejectionListener {
    void rejected(int status);
}
