package com.foobar.stack.process;

/**
 * A child could not be started or did not become ready in time. The message says which, and carries the end of
 * the child's log so the user sees its own explanation without opening a file.
 */
public final class ChildStartException extends Exception {

    public ChildStartException(String message) {
        super(message);
    }

    public ChildStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
