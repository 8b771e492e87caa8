package com.foobar.dbrouter;

import java.sql.SQLException;

/** Work done with a connection; may throw {@link SQLException}. */
@FunctionalInterface
public interface SqlFunction<T, R> {
    R apply(T t) throws SQLException;
}
