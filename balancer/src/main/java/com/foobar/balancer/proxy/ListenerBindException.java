package com.foobar.balancer.proxy;

/** A listener could not bind its address; the message says which listener, which address and why. */
public final class ListenerBindException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ListenerBindException(String message, Throwable cause) {
        super(message, cause);
    }
}
