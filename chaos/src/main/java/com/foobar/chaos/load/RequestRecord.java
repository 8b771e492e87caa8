package com.foobar.chaos.load;

/**
 * One request of the load, as its client saw it: what it was, when it started and ended on the scenario's
 * {@link Clock}, and how it ended.
 *
 * @param operation read or write
 * @param path      the request path
 * @param startMs   when it was handed to the client
 * @param endMs     when its answer (or failure) was complete
 * @param status    the HTTP status, 0 without an answer
 * @param kind      {@link FailureKind#NONE} for a success
 * @param servedBy  the {@code X-Served-By} header (which web server), null without one
 * @param dbNode    the {@code X-Db-Node} header (which database node), null without one
 * @param orderId   for an acknowledged write, the order id the client was told; 0 otherwise
 * @param detail    for a failure, the reason the answer gave (its {@code error} field) or the client's exception;
 *                  empty for a success
 */
public record RequestRecord(Operation operation, String path, double startMs, double endMs, int status,
                            FailureKind kind, String servedBy, String dbNode, long orderId, String detail) {

    public boolean ok() {
        return kind == FailureKind.NONE;
    }

    /** The failure's short name for tables and plots: the status code, or the kind. */
    public String failureLabel() {
        return kind == FailureKind.HTTP_STATUS ? Integer.toString(status) : kind.label();
    }

    /** Whether the request was in flight at {@code ms}: started before it and not finished. */
    public boolean inFlightAt(double ms) {
        return startMs <= ms && endMs >= ms;
    }

    /** A write the client was told succeeded, with its order id. */
    public boolean acknowledgedWrite() {
        return operation == Operation.WRITE && ok() && orderId > 0;
    }
}
