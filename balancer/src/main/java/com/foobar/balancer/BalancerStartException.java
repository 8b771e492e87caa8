package com.foobar.balancer;

/** The balancer could not start (an address in use, an access log file that cannot be opened). */
public final class BalancerStartException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public BalancerStartException(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
