package com.foobar.balancer.admin;

import com.foobar.balancer.config.HostPort;

/** The admin listener could not bind its address; the message says which and why, for the user, without a trace. */
public final class AdminBindException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final HostPort bind;

    public AdminBindException(HostPort bind, Throwable cause) {
        super("admin.bind: cannot listen on " + bind + ": " + reason(cause), cause);
        this.bind = bind;
    }

    public HostPort bind() {
        return bind;
    }

    private static String reason(Throwable cause) {
        String m = cause.getMessage();
        return m == null ? cause.getClass().getSimpleName() : m;
    }
}
