package com.foobar.dbrouter;

import com.foobar.dbrouter.codegen.Delegating;
import com.foobar.dbrouter.codegen.Wraps;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The metadata of a connection made through the router: {@link #getConnection()} answers with the router's
 * connection, its result sets are wrapped and its failures reach the router. The delegation is generated.
 */
@Delegating(DatabaseMetaData.class)
abstract class RoutedMetaData implements DatabaseMetaData {
    private final DatabaseMetaData target;
    private final NodeCalls calls;
    private final Connection owner;

    RoutedMetaData(DatabaseMetaData target, NodeCalls calls, Connection owner) {
        this.target = target;
        this.calls = calls;
        this.owner = owner;
    }

    DatabaseMetaData delegate() {
        return target;
    }

    final SQLException failed(SQLException e) {
        return calls.failed(e);
    }

    @Wraps
    final ResultSet wrap(ResultSet rs) {
        return rs == null ? null : new GeneratedRoutedResultSet(rs, calls, null);
    }

    @Override
    public final Connection getConnection() {
        return owner;
    }
}
