package com.foobar.docker;

/** The webapp's operational endpoints, as issue 4 fixes them. */
final class WebAppContract {
    static final String HEALTH = "/health";
    static final String READY = "/ready";
    static final String METRICS = "/metrics";

    private WebAppContract() {
    }
}
