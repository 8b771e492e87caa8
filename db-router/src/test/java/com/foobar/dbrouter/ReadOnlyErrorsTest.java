package com.foobar.dbrouter;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class ReadOnlyErrorsTest {
    @Test
    void recognisesTheServersReadOnlyRefusals() {
        assertThat(ReadOnlyErrors.isReadOnlyRefusal(new SQLException(
                "The MariaDB server is running with the --read-only option so it cannot execute this statement", "HY000", 1290))).isTrue();
        assertThat(ReadOnlyErrors.isReadOnlyRefusal(new SQLException(
                "The MySQL server is running with the --super-read-only option so it cannot execute this statement", "HY000", 1290))).isTrue();
        assertThat(ReadOnlyErrors.isReadOnlyRefusal(new SQLException("Running in read-only mode", "HY000", 1836))).isTrue();
        assertThat(ReadOnlyErrors.isReadOnlyRefusal(new SQLException("wrapped",
                new SQLException("The MariaDB server is running with the --read-only option", "HY000", 1290)))).isTrue();
    }

    @Test
    void otherOptionsThatPreventAStatementAreNotRoleChanges() {
        assertThat(ReadOnlyErrors.isReadOnlyRefusal(new SQLException(
                "The MySQL server is running with the --secure-file-priv option so it cannot execute this statement", "HY000", 1290))).isFalse();
        assertThat(ReadOnlyErrors.isReadOnlyRefusal(new SQLException("Duplicate entry '1' for key 'PRIMARY'", "23000", 1062))).isFalse();
    }
}
