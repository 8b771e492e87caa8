package com.foobar.balancer.upstream;

import java.util.Locale;

/**
 * What a server is doing now. Only UP servers take new requests. DRAINING (asked by an operator, or removed by a
 * reload) wins over DOWN (failed active checks), which wins over EJECTED (passive outlier detection).
 */
public enum ServerState {
    UP, DOWN, DRAINING, EJECTED;

    private final String json = name().toLowerCase(Locale.ROOT);

    /** The lower-case form used in JSON and metrics: {@code up}, {@code down}, {@code draining}, {@code ejected}. */
    public String json() {
        return json;
    }

    @Override
    public String toString() {
        return json;
    }
}
