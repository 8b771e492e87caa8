package com.foobar.balancer.upstream;

import java.util.Locale;

/** Why a request to an upstream server failed before a complete response. All count toward outlier detection. */
public enum FailureKind {
    CONNECT_REFUSED, CONNECT_TIMEOUT, CONNECTION_RESET, RESPONSE_TIMEOUT, PROTOCOL_ERROR;

    private final String label = name().toLowerCase(Locale.ROOT).replace('_', '-');

    /** Lower-case form for metrics tags and logs, e.g. {@code connect-refused}. */
    public String label() {
        return label;
    }
}
