package com.foobar.dbrouter;

/** A consistency token from a cookie or header is not one this router wrote (garbled, truncated, forged). */
public class InvalidConsistencyTokenException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public InvalidConsistencyTokenException(String reason) {
        super(reason);
    }
}
