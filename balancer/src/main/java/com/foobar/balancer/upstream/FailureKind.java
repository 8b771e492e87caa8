package com.foobar.balancer.upstream;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Why a request to an upstream server failed before a complete response. All count toward outlier detection. */
public enum FailureKind {
    CONNECT_REFUSED, CONNECT_TIMEOUT, CONNECTION_RESET, RESPONSE_TIMEOUT, PROTOCOL_ERROR;

    /** Every kind's label, in declaration order. */
    public static final List<String> LABELS = Arrays.stream(values()).map(FailureKind::label).toList();

    private final String label = name().toLowerCase(Locale.ROOT).replace('_', '-');

    /** Lower-case form for metrics tags and logs, e.g. {@code connect-refused}. */
    public String label() {
        return label;
    }
}
