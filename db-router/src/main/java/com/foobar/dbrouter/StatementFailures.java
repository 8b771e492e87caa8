package com.foobar.dbrouter;

import java.sql.SQLException;

/**
 * What a statement made through the router does with a failure before the caller sees it: on a write connection, a
 * node's read-only refusal becomes the router's transient {@link NoWriterException} (and the node is re-checked).
 */
@FunctionalInterface
interface StatementFailures {
    /** Reads: failures pass unchanged. */
    StatementFailures NONE = e -> e;

    SQLException translate(SQLException e);
}
