package com.foobar.dbrouter;

import java.sql.SQLTransientConnectionException;

/**
 * The primary cannot take writes right now (down, or unreachable). Thrown at once when the router already knows,
 * without waiting for a pool timeout; map it to 503.
 */
public class PrimaryUnavailableException extends SQLTransientConnectionException {
    private static final long serialVersionUID = 1L;
    static final String SQL_STATE = "08001";

    public PrimaryUnavailableException(String reason) {
        super(reason, SQL_STATE);
    }

    public PrimaryUnavailableException(String reason, Throwable cause) {
        super(reason, SQL_STATE, cause);
    }
}
