package com.foobar.balancer.transport;

/** The transport asked for by name does not exist, or this platform cannot run it. */
public final class TransportUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    TransportUnavailableException(String message) {
        super(message, null, false, false);
    }
}
