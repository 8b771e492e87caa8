package com.foobar.dbrouter;

import com.foobar.dbrouter.codegen.Before;
import com.foobar.dbrouter.codegen.Delegating;
import com.foobar.dbrouter.codegen.Wraps;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A statement made through the router: each execution counts on its node's meter, failures reach the router, result
 * sets come back wrapped and {@link #getConnection()} answers with the router's connection. Everything else is
 * delegated by the generated {@code GeneratedRoutedStatement}; the prepared and callable kinds extend this class.
 */
@Delegating(Statement.class)
abstract class RoutedStatement implements Statement {
    private final Statement target;
    private final NodeCalls calls;
    private final Connection owner;

    RoutedStatement(Statement target, NodeCalls calls, Connection owner) {
        this.target = target;
        this.calls = calls;
        this.owner = owner;
    }

    /** Wraps {@code s} in the class matching its most specific JDBC interface. */
    static Statement wrap(Statement s, NodeCalls calls, Connection owner) {
        if (s instanceof CallableStatement) {
            return new GeneratedRoutedCallableStatement((CallableStatement) s, calls, owner);
        }
        if (s instanceof PreparedStatement) {
            return new GeneratedRoutedPreparedStatement((PreparedStatement) s, calls, owner);
        }
        return new GeneratedRoutedStatement(s, calls, owner);
    }

    static PreparedStatement wrap(PreparedStatement s, NodeCalls calls, Connection owner) {
        return s instanceof CallableStatement ? new GeneratedRoutedCallableStatement((CallableStatement) s, calls, owner)
                : new GeneratedRoutedPreparedStatement(s, calls, owner);
    }

    static CallableStatement wrap(CallableStatement s, NodeCalls calls, Connection owner) {
        return new GeneratedRoutedCallableStatement(s, calls, owner);
    }

    Statement delegate() {
        return target;
    }

    @Before("execute")
    final void executed() {
        calls.executed();
    }

    final SQLException failed(SQLException e) {
        return calls.failed(e);
    }

    @Wraps
    final ResultSet wrap(ResultSet rs) {
        return rs == null ? null : new GeneratedRoutedResultSet(rs, calls, this);
    }

    @Override
    public final Connection getConnection() {
        return owner;
    }

    @Override
    public final String toString() {
        return "Routed" + target;
    }
}
