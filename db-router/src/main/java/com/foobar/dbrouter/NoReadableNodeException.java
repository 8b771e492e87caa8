package com.foobar.dbrouter;

import java.sql.SQLTransientConnectionException;

/** No node can serve a read: no usable replica, and the primary is down or does not take reads. */
public class NoReadableNodeException extends SQLTransientConnectionException {
    private static final long serialVersionUID = 1L;

    public NoReadableNodeException(String reason) {
        super(reason, "08001");
    }

    public NoReadableNodeException(String reason, Throwable cause) {
        super(reason, "08001", cause);
    }
}
