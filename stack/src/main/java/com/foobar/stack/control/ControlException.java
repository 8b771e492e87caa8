package com.foobar.stack.control;

/** A control request that cannot be done, with the HTTP status that says why and a one-line reason. */
public final class ControlException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int status;

    public ControlException(int status, String reason) {
        super(reason);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
