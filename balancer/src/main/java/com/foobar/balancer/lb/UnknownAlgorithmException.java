package com.foobar.balancer.lb;

import java.util.List;

/** An algorithm name that is not registered. */
public final class UnknownAlgorithmException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public UnknownAlgorithmException(String name, List<String> known) {
        super('"' + name + "\" is not a known algorithm (known: " + String.join(", ", known) + ")");
    }
}
