package com.foobar.dbrouter;

import com.foobar.dbrouter.codegen.Delegating;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A result set from a statement made through the router: its failures reach the router like the statement's, and
 * {@link #getStatement()} answers with the router's statement (whose {@code getConnection()} is the router's
 * connection), never the pooled objects behind them. The delegation is generated.
 */
@Delegating(ResultSet.class)
abstract class RoutedResultSet implements ResultSet {
    private final ResultSet target;
    private final NodeCalls calls;
    private final Statement owner;

    /** {@code owner} is null for a metadata result set, as JDBC says {@code getStatement()} then answers. */
    RoutedResultSet(ResultSet target, NodeCalls calls, Statement owner) {
        this.target = target;
        this.calls = calls;
        this.owner = owner;
    }

    ResultSet delegate() {
        return target;
    }

    final SQLException failed(SQLException e) {
        return calls.failed(e);
    }

    @Override
    public final Statement getStatement() {
        return owner;
    }

    @Override
    public final String toString() {
        return "Routed" + target;
    }
}
