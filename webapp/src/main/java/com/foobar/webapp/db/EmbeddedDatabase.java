package com.foobar.webapp.db;

import java.util.List;

/**
 * A replicated database pair the app started for itself because it was given none. The only implementation lives
 * in {@code DevDbEmbeddedDatabase} and is loaded reflectively by {@link #start()}, so that webapp-slim.jar, which
 * has no devdb and no MariaDB binaries, never touches a devdb class.
 */
public interface EmbeddedDatabase extends AutoCloseable {

    String primaryUrl();

    List<String> replicaUrls();

    String user();

    String password();

    @Override
    void close();

    /** Whether this build carries devdb (the full webapp.jar does; webapp-slim.jar does not). */
    static boolean isAvailable() {
        try {
            Class.forName("com.foobar.devdb.DevDb", false, EmbeddedDatabase.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /**
     * Starts an embedded primary and replica.
     *
     * @throws EmbeddedDatabaseUnavailableException when this build has no devdb, or it failed to start
     */
    static EmbeddedDatabase start() {
        if (!isAvailable()) {
            throw new EmbeddedDatabaseUnavailableException("no database given and this build has no embedded"
                    + " database: pass --primary, --replica, --db-user, --db-password (or FOOBAR_DB_*)", null);
        }
        try {
            return (EmbeddedDatabase) Class.forName("com.foobar.webapp.db.DevDbEmbeddedDatabase")
                    .getDeclaredConstructor().newInstance();
        } catch (java.lang.reflect.InvocationTargetException e) {
            Throwable cause = e.getCause();
            throw new EmbeddedDatabaseUnavailableException("the embedded database did not start: "
                    + cause.getMessage(), cause);
        } catch (ReflectiveOperationException e) {
            throw new EmbeddedDatabaseUnavailableException("the embedded database could not be loaded: " + e, e);
        }
    }
}
