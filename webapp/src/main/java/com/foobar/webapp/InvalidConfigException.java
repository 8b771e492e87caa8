package com.foobar.webapp;

/** A flag or environment variable has a bad value; the message names it and says why, in one line. */
public final class InvalidConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InvalidConfigException(String message) {
        super(message);
    }
}
