package com.foobar.dbrouter;

import java.sql.SQLException;
import java.util.Locale;

/**
 * Recognises the server's "I am read-only" refusals, which mean that a role change raced a write: error 1290
 * {@code ER_OPTION_PREVENTS_STATEMENT} for {@code --read-only} or {@code --super-read-only} (MySQL and MariaDB; 1290
 * also covers unrelated options such as {@code --secure-file-priv}, hence the message check), and 1836
 * {@code ER_READ_ONLY_MODE}.
 */
final class ReadOnlyErrors {
    static final int ER_OPTION_PREVENTS_STATEMENT = 1290;
    static final int ER_READ_ONLY_MODE = 1836;

    private ReadOnlyErrors() {
    }

    static boolean isReadOnlyRefusal(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException) {
                SQLException s = (SQLException) t;
                if (s.getErrorCode() == ER_READ_ONLY_MODE) {
                    return true;
                }
                if (s.getErrorCode() == ER_OPTION_PREVENTS_STATEMENT && s.getMessage() != null) {
                    String m = s.getMessage().toLowerCase(Locale.ROOT);
                    if (m.contains("read-only") || m.contains("read_only")) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
