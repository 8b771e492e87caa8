package com.foobar.webapp.web;

/** A body came in a content type the endpoint does not read: 415. */
public final class UnsupportedMediaTypeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UnsupportedMediaTypeException(String message) {
        super(message, null, false, false);
    }
}
