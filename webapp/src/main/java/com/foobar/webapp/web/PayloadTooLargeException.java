package com.foobar.webapp.web;

/** A body is larger than any valid one could be: 413. */
public final class PayloadTooLargeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PayloadTooLargeException(String message) {
        super(message, null, false, false);
    }
}
