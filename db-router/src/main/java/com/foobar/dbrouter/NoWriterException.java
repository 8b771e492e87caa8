package com.foobar.dbrouter;

/**
 * No node is writable, or the writer turned read-only under the write: a switchover or failover is under way
 * ({@link WriteRefusal#NO_WRITER}, {@link WriteRefusal#WRITER_TURNED_READ_ONLY}). Nothing was written; retry shortly.
 */
public final class NoWriterException extends PrimaryUnavailableException {
    private static final long serialVersionUID = 1L;

    NoWriterException(WriteRefusal refusal, String reason, Throwable cause) {
        super(refusal, reason, cause);
    }
}
