package com.foobar.dbrouter;

import com.foobar.dbrouter.codegen.Wraps;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.SQLClientInfoException;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * What the router's two connection handles share: what they hand out (statements, metadata) is wrapped, so that
 * executions are counted, failures reach the router and {@code getConnection()} answers with the handle, never the
 * pooled connection behind it. The delegation itself is generated ({@code @Delegating} on each subclass).
 */
abstract class RoutedConnection implements Connection, Routed {
    /** Where calls on the physical connection bound now report. */
    abstract NodeCalls calls();

    /** The physical connection a call goes to; refuses when this handle may not be used. */
    abstract Connection delegate() throws SQLException;

    final SQLException failed(SQLException e) {
        return calls().failed(e);
    }

    @Override
    public final void setClientInfo(String name, String value) throws SQLClientInfoException {
        Connection c = delegateForClientInfo();
        try {
            c.setClientInfo(name, value);
        } catch (SQLClientInfoException e) {
            failed(e);
            throw e;
        }
    }

    @Override
    public final void setClientInfo(Properties properties) throws SQLClientInfoException {
        Connection c = delegateForClientInfo();
        try {
            c.setClientInfo(properties);
        } catch (SQLClientInfoException e) {
            failed(e);
            throw e;
        }
    }

    /** setClientInfo may only throw SQLClientInfoException: a refusal of the handle is carried over in one. */
    private Connection delegateForClientInfo() throws SQLClientInfoException {
        try {
            return delegate();
        } catch (SQLClientInfoException e) {
            throw e;
        } catch (SQLException e) {
            throw new SQLClientInfoException(e.getMessage(), e.getSQLState(), e.getErrorCode(), null, e);
        }
    }

    @Wraps
    final Statement wrap(Statement s) {
        return RoutedStatement.wrap(s, calls(), this);
    }

    @Wraps
    final PreparedStatement wrap(PreparedStatement s) {
        return RoutedStatement.wrap(s, calls(), this);
    }

    @Wraps
    final CallableStatement wrap(CallableStatement s) {
        return RoutedStatement.wrap(s, calls(), this);
    }

    @Wraps
    final DatabaseMetaData wrap(DatabaseMetaData m) {
        return new GeneratedRoutedMetaData(m, calls(), this);
    }
}
