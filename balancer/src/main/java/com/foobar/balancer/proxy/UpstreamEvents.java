package com.foobar.balancer.proxy;

import com.foobar.balancer.upstream.FailureKind;
import com.foobar.balancer.upstream.UpstreamServer;

/**
 * What the upstream side tells the exchange it works for: the connect it asked for, then everything its connection
 * reads or suffers. A {@link BackendHandler} knows its exchange only through this; every call comes on the exchange's
 * event loop, and calls about a connection the exchange no longer uses are ignored by it.
 */
interface UpstreamEvents {

    /**
     * A new connection to {@code server} is up.
     *
     * @return false when the exchange no longer wants it (it ended, or moved on): the connector pools it
     */
    boolean connected(UpstreamServer server, BackendHandler connection);

    /** The connect to {@code server} failed; {@code reason} is one line for the client and the log. */
    void connectFailed(UpstreamServer server, FailureKind kind, String reason);

    /** A decoded piece of the response (head, content, or a decoder failure). */
    void upstreamMessage(BackendHandler connection, Object msg);

    /** The connection's socket read is over: the time to flush to the client and ask for more. */
    void upstreamReadComplete(BackendHandler connection);

    /** The connection's outbound buffer crossed a water mark. */
    void upstreamWritable(BackendHandler connection);

    /** The connection broke (reset, closed, write failed); {@code reason} is one line. */
    void upstreamFailed(BackendHandler connection, FailureKind kind, String reason);

    /** The connection's watchdog fired: the exchange checks its own progress against the response timeout. */
    void responseTimerFired(BackendHandler connection);
}
