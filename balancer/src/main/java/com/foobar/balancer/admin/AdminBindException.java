package com.foobar.balancer.admin;

import com.foobar.balancer.config.HostPort;
import com.foobar.balancer.transport.SocketErrors;

/** The admin listener could not bind its address; the message says which and why, for the user, without a trace. */
public final class AdminBindException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final HostPort bind;

    public AdminBindException(HostPort bind, Throwable cause) {
        super("admin.bind: cannot listen on " + bind + ": " + SocketErrors.reason(cause), cause);
        this.bind = bind;
    }

    public HostPort bind() {
        return bind;
    }
}
