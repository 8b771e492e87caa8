package com.foobar.dbrouter;

import com.foobar.dbrouter.codegen.Delegating;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The connection handed to {@code read()}/{@code write()} work: the router, not the work, releases it, so
 * {@link #close()} only stops this handle. Every other call checks the handle is still open and is delegated by
 * the generated {@code GeneratedLentConnection}.
 */
@Delegating(Connection.class)
abstract class LentConnection extends RoutedConnection {
    private static final String CLOSED = "connection was closed by the work using it";

    private final Connection physical;
    private final NodePool node;
    private final NodeCalls calls;
    private volatile boolean closed;

    LentConnection(Connection physical, NodePool node, NodeCalls calls) {
        this.physical = physical;
        this.node = node;
        this.calls = calls;
    }

    static Connection lend(Connection physical, NodePool node, NodeCalls calls) {
        return new GeneratedLentConnection(physical, node, calls);
    }

    @Override
    public final String nodeName() {
        return node.name();
    }

    @Override
    final NodeCalls calls() {
        return calls;
    }

    /** The physical connection, while the work has not closed this handle. */
    @Override
    final Connection delegate() throws SQLException {
        if (closed) {
            throw new SQLException(CLOSED, "08003");
        }
        return physical;
    }

    @Override
    public final void close() {
        // The router commits or releases; work that closes its connection early just stops using it.
        closed = true;
    }

    @Override
    public final boolean isClosed() throws SQLException {
        if (closed) {
            return true;
        }
        try {
            return physical.isClosed();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public final String toString() {
        return "RoutedConnection[" + node.name() + "]";
    }
}
