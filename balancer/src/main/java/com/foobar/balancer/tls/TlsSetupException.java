package com.foobar.balancer.tls;

/** Certificates could not be read, made or turned into a TLS context; the message names the file and why. */
public final class TlsSetupException extends RuntimeException {
    public TlsSetupException(String message, Throwable cause) {
        super(message, cause);
    }

    public TlsSetupException(String message) {
        super(message);
    }
}
