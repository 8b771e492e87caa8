package com.foobar.dbrouter;

import com.foobar.dbrouter.codegen.Delegating;
import java.sql.CallableStatement;
import java.sql.Connection;

/** {@link RoutedStatement} for callable statements; the delegation is generated. */
@Delegating(CallableStatement.class)
abstract class RoutedCallableStatement extends RoutedPreparedStatement implements CallableStatement {
    private final CallableStatement callable;

    RoutedCallableStatement(CallableStatement target, NodeCalls calls, Connection owner) {
        super(target, calls, owner);
        this.callable = target;
    }

    @Override
    CallableStatement delegate() {
        return callable;
    }
}
