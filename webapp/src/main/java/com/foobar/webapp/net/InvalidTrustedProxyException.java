package com.foobar.webapp.net;

/** A trusted-proxy entry is not an IP address or CIDR range; the message says which and why, in one line. */
public final class InvalidTrustedProxyException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    InvalidTrustedProxyException(String message) {
        super(message);
    }
}
