package com.foobar.webapp.db;

/** Flyway could not bring the schema up to date; the app does not start on a half-migrated schema. */
public final class SchemaMigrationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SchemaMigrationException(String message, Throwable cause) {
        super(message, cause);
    }
}
