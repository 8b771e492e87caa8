package com.foobar.devdb;

/** A development database could not be started, configured or driven. */
public class DevDbException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DevDbException(String message) {
        super(message);
    }

    public DevDbException(String message, Throwable cause) {
        super(message, cause);
    }
}
