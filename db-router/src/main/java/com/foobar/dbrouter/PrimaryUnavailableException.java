package com.foobar.dbrouter;

import java.sql.SQLTransientConnectionException;
import java.util.Objects;

/**
 * Writes cannot go anywhere right now: no node is the one writer. Thrown at once, or after at most
 * {@code writerWaitTimeout}, never after a pool timeout; nothing of the write was committed. Transient: retry after
 * {@link #refusal()}'s {@link WriteRefusal#retryAfter() retryAfter}. Map it to 503. The subclasses name the state:
 * {@link NoWriterException} (a switch is under way) and {@link SplitBrainException}.
 */
public class PrimaryUnavailableException extends SQLTransientConnectionException {
    private static final long serialVersionUID = 1L;
    static final String SQL_STATE = "08001";

    private final WriteRefusal refusal;

    /** The writer is down (the state this exception had before the router followed topology changes). */
    public PrimaryUnavailableException(String reason) {
        this(WriteRefusal.WRITER_DOWN, reason, null);
    }

    public PrimaryUnavailableException(String reason, Throwable cause) {
        this(WriteRefusal.WRITER_DOWN, reason, cause);
    }

    protected PrimaryUnavailableException(WriteRefusal refusal, String reason, Throwable cause) {
        super(reason, SQL_STATE, cause);
        this.refusal = Objects.requireNonNull(refusal);
    }

    /** Why the write was refused. */
    public WriteRefusal refusal() {
        return refusal;
    }
}
