package com.foobar.webapp.web;

/** Whether this instance should get traffic: the primary and at least one read path usable. */
@FunctionalInterface
public interface ReadinessChecker {

    Readiness check();

    /** {@code reason} says what is wrong when not ready, and what is in use when ready. */
    record Readiness(boolean ready, String reason) {
    }
}
