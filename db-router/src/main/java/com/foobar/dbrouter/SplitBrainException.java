package com.foobar.dbrouter;

/**
 * More than one node is writable and replicates from no one ({@link WriterState#SPLIT_BRAIN}): the router writes to
 * none of them rather than pick one. Nothing was written; it lasts until all but one are made read-only.
 */
public final class SplitBrainException extends PrimaryUnavailableException {
    private static final long serialVersionUID = 1L;

    SplitBrainException(String reason) {
        super(WriteRefusal.SPLIT_BRAIN, reason, null);
    }
}
