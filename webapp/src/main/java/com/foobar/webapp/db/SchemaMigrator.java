package com.foobar.webapp.db;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.configuration.FluentConfiguration;

import javax.sql.DataSource;

import java.util.Objects;

/**
 * Brings the shop's schema up to date on the writer with Flyway. Two instances starting at once are safe: Flyway
 * takes a MySQL named lock ({@code GET_LOCK}) around the migration, so the second waits and then finds nothing to do.
 */
public final class SchemaMigrator {

    /** Where the versioned scripts live on the classpath. */
    public static final String LOCATION = "classpath:com/foobar/webapp/db/migration";

    private SchemaMigrator() {
    }

    /**
     * Migrates and returns the schema version now in place.
     *
     * @throws SchemaMigrationException with Flyway's reason, when a migration fails
     */
    public static String migrate(String primaryUrl, String user, String password) {
        Objects.requireNonNull(primaryUrl, "primaryUrl");
        return migrate(Flyway.configure(SchemaMigrator.class.getClassLoader()).dataSource(primaryUrl, user, password),
                primaryUrl);
    }

    /**
     * Migrates through {@code dataSource}, e.g. the db-router, whose connections go to the current writer, and
     * returns the schema version now in place.
     *
     * @param where names the database in an error message
     * @throws SchemaMigrationException with Flyway's reason, when a migration fails
     */
    public static String migrate(DataSource dataSource, String where) {
        Objects.requireNonNull(dataSource, "dataSource");
        return migrate(Flyway.configure(SchemaMigrator.class.getClassLoader()).dataSource(dataSource), where);
    }

    private static String migrate(FluentConfiguration configuration, String where) {
        try {
            Flyway flyway = configuration
                    .locations(LOCATION)
                    .connectRetries(10)
                    .loggers("slf4j")
                    .load();
            flyway.migrate();
            // Not the MigrateResult's target: when two instances race, each may apply only some of the scripts.
            MigrationInfo current = flyway.info().current();
            return current == null ? "none" : current.getVersion().getVersion();
        } catch (FlywayException e) {
            throw new SchemaMigrationException("schema migration on " + where + " failed: " + e.getMessage(), e);
        }
    }
}
