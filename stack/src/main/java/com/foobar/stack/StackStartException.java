package com.foobar.stack;

/** The stack could not start; the message says what failed and what to do, for a user, without a stack trace. */
public final class StackStartException extends Exception {

    public StackStartException(String message) {
        super(message);
    }

    public StackStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
