package com.foobar.webapp;

import com.foobar.devdb.DevDb;
import com.foobar.devdb.DevDbOptions;

/**
 * One replicated MariaDB pair for the whole test JVM: starting one takes 15-20 s, so every test class shares it
 * and leaves it as it found it (primary running, no replication delay). It is closed when the JVM exits.
 */
final class SharedDevDb {

    private static DevDb devDb;

    private SharedDevDb() {
    }

    static synchronized DevDb get() {
        if (devDb == null) {
            devDb = DevDb.start(DevDbOptions.defaults());
            DevDb started = devDb;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "devdb-close"));
        }
        return devDb;
    }

    /**
     * Waits until the web server's router uses the replica again: changing the replication delay restarts
     * replication, and the router's monitor takes the replica out until it sees it healthy.
     */
    static void awaitReplicaUsable(WebApp app) {
        TestClient client = new TestClient(app.uri());
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                .until(() -> client.get("/ready").body().contains("replica-1 usable"));
    }

    /** A web server on 127.0.0.1 and an ephemeral port, over the shared pair. */
    static WebApp startWebApp(String name) throws Exception {
        return startWebApp(name, null);
    }

    /** As {@link #startWebApp(String)}, with the db-router's causal read timeout (null: its default). */
    static WebApp startWebApp(String name, java.time.Duration causalReadTimeout) throws Exception {
        DevDb db = get();
        return WebApp.start(WebAppConfig.builder()
                .causalReadTimeout(causalReadTimeout)
                .name(name)
                .bind("127.0.0.1")
                .port(0)
                .primaryUrl(db.primary().jdbcUrl())
                .replicaUrls(db.replicas().stream().map(r -> r.jdbcUrl()).toList())
                .dbUser(db.user())
                .dbPassword(db.password())
                .shutdownTimeout(java.time.Duration.ofSeconds(5))
                .build());
    }
}
