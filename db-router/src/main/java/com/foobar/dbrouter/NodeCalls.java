package com.foobar.dbrouter;

import io.micrometer.core.instrument.Counter;
import java.sql.SQLException;

/**
 * Where the calls made on one node's physical connection report, shared by the connection handle, its statements and
 * their result sets: executions count on the node's read or write meter, and every failure passes through here
 * before the caller sees it. Made once per bound connection, never per call.
 */
final class NodeCalls {
    /** What the router makes of a failure, and what the caller then sees. */
    @FunctionalInterface
    interface Failures {
        SQLException failed(SQLException e);
    }

    private final Counter executions;
    private final Failures failures;

    NodeCalls(Counter executions, Failures failures) {
        this.executions = executions;
        this.failures = failures;
    }

    /**
     * Calls on a {@link RoutingConnection}: the router hears of each failure (a dead node is marked down), and on a
     * write connection a node's read-only refusal becomes the router's transient {@link NoWriterException}.
     */
    static NodeCalls routed(RoutingDataSource router, NodePool node, boolean write) {
        return new NodeCalls(node.meters().statements(!write), e -> {
            router.failed(node, e);
            return write ? router.writeFailure(node, e) : e;
        });
    }

    /**
     * Calls inside {@code read()}/{@code write()} work: the router reports what escapes the work itself (and may
     * retry a read elsewhere), so failures are only translated here, not reported twice.
     */
    static NodeCalls lent(RoutingDataSource router, NodePool node, boolean write) {
        return new NodeCalls(node.meters().statements(!write), write ? e -> router.writeFailure(node, e) : e -> e);
    }

    void executed() {
        executions.increment();
    }

    SQLException failed(SQLException e) {
        return failures.failed(e);
    }
}
