package com.foobar.dbrouter;

import com.foobar.dbrouter.codegen.Delegating;
import java.sql.Connection;
import java.sql.PreparedStatement;

/** {@link RoutedStatement} for prepared statements; the delegation is generated. */
@Delegating(PreparedStatement.class)
abstract class RoutedPreparedStatement extends RoutedStatement implements PreparedStatement {
    private final PreparedStatement prepared;

    RoutedPreparedStatement(PreparedStatement target, NodeCalls calls, Connection owner) {
        super(target, calls, owner);
        this.prepared = target;
    }

    @Override
    PreparedStatement delegate() {
        return prepared;
    }
}
