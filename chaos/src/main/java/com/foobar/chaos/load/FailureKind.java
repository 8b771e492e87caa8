package com.foobar.chaos.load;

/**
 * How a request ended, as its client saw it. An HTTP answer is a success when its status is the expected one (2xx,
 * 3xx) and a failure of kind {@link #HTTP_STATUS} otherwise; the others got no answer at all.
 */
public enum FailureKind {
    /** An answer with the expected status. */
    NONE("ok"),
    /** An answer with an error status (its code says which). */
    HTTP_STATUS("status"),
    /** The TCP connect was refused or did not complete within the connect timeout. */
    CONNECT("connect"),
    /** Connected, but no complete answer within the request timeout. */
    TIMEOUT("timeout"),
    /** The connection broke (reset, closed early) before a complete answer. */
    IO("io"),
    /** Never sent: the client already had its maximum of requests in flight (the target stalls). */
    NOT_SENT("not-sent");

    private final String label;

    FailureKind(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
