package com.foobar.webapp.db;

/** No database was configured and none could be started here. */
public final class EmbeddedDatabaseUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public EmbeddedDatabaseUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
