package com.foobar.webapp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.foobar.devdb.DbNode;
import com.foobar.devdb.DevDb;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * While the database group has no single writer (a switchover between fencing the old writer and promoting the new
 * one, or two writable nodes), the shop answers writes over real HTTP with 503, a Retry-After and one line, within
 * the router's writer wait, and keeps serving reads from the replica. The role changes are made over JDBC as a
 * failover tool makes them, on the shared pair, which each test leaves as it found it.
 */
class DatabaseSwitchoverHttpTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** devdb's embedded MariaDB admin account (MariaDbProcess.ADMIN_USER/ADMIN_PASSWORD; devdb does not expose it). */
    private static final String ADMIN_USER = "devdb_admin";
    private static final String ADMIN_PASSWORD = "devdb-admin";
    /** The db-router's default writer wait, which the web server keeps; then scheduling slack on a busy host. */
    private static final Duration REFUSED_WITHIN = Duration.ofSeconds(2);
    private static final String ORDER = "{\"product_id\":1,\"quantity\":1}";

    private static WebApp web;

    @BeforeAll
    static void start() throws Exception {
        web = SharedDevDb.startWebApp("web-switch");
    }

    @AfterAll
    static void stop() {
        if (web != null) {
            web.close();
        }
    }

    @AfterEach
    void restore() throws SQLException {
        DevDb db = SharedDevDb.get();
        admin(db.primary(), "SET GLOBAL read_only = 0");
        DbNode replica = db.replicas().get(0);
        admin(replica, "SET GLOBAL read_only = 1", "START SLAVE");
        db.awaitReplicasCaughtUp(Duration.ofSeconds(30));
        SharedDevDb.awaitReplicaUsable(web);
    }

    private static void admin(DbNode node, String... sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:mysql://" + node.host() + ":" + node.port()
                + "/?useSSL=false&allowPublicKeyRetrieval=true", ADMIN_USER, ADMIN_PASSWORD);
             Statement s = c.createStatement()) {
            for (String q : sql) {
                s.execute(q);
            }
        }
    }

    @Test
    void withNoWritableNodeWritesGet503WithRetryAfterWithinTheWriterWaitAndReadsStillWork() throws Exception {
        DevDb db = SharedDevDb.get();
        TestClient shopper = new TestClient(web.uri());
        assertThat(shopper.postJson("/api/orders", ORDER).statusCode()).isEqualTo(201);

        // A switchover's first step: the writer is fenced; nothing is promoted yet.
        admin(db.primary(), "SET GLOBAL read_only = 1");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            HttpResponse<String> ready = shopper.get("/ready");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(JSON.readTree(ready.body()).get("reason").asText()).startsWith("no writable node");
        });
        for (int i = 0; i < 3; i++) {
            long t0 = System.nanoTime();
            HttpResponse<String> write = shopper.postJson("/api/orders", ORDER);
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            assertThat(write.statusCode()).isEqualTo(503);
            assertThat(write.headers().firstValue("Retry-After")).contains("1");
            JsonNode body = JSON.readTree(write.body());
            assertThat(body.get("error").asText()).isEqualTo("the primary database is being switched over (no node"
                    + " takes writes yet), writes are refused for now; retry shortly");
            assertThat(took).isLessThan(REFUSED_WITHIN);

            HttpResponse<String> read = shopper.get("/api/products");
            assertThat(read.statusCode()).isEqualTo(200);
            assertThat(read.headers().firstValue("X-Db-Node")).contains("replica-1");
            assertThat(shopper.get("/orders").statusCode()).isEqualTo(200);
        }
        String metrics = shopper.get("/metrics").body();
        assertThat(metrics).containsPattern("webapp_writes_refused_total\\{[^}]*reason=\"no_writer\"[^}]*} 3\\.0");
        assertThat(metrics).containsPattern("db_router_writes_refused_total\\{[^}]*reason=\"no_writer\"[^}]*} 3\\.0");
        assertThat(metrics).containsPattern("db_router_node_role\\{[^}]*node=\"primary\"[^}]*role=\"read_only\"[^}]*} 1\\.0");
        assertThat(metrics).containsPattern("db_router_writable_nodes\\{[^}]*} 0\\.0");

        // The switch ends (here: the same node made writable again): writes go through without a restart.
        admin(db.primary(), "SET GLOBAL read_only = 0");
        await().atMost(Duration.ofSeconds(10)).until(() -> shopper.postJson("/api/orders", ORDER).statusCode() == 201);
    }

    @Test
    void withTwoWritableNodesWritesGet503NamingSplitBrainAndReadsStillWork() throws Exception {
        DevDb db = SharedDevDb.get();
        TestClient shopper = new TestClient(web.uri());
        // The replica stops replicating and takes writes too: a promotion without fencing the old writer.
        admin(db.replicas().get(0), "STOP SLAVE", "SET GLOBAL read_only = 0");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(JSON.readTree(shopper.get("/ready").body()).get("reason").asText()).startsWith("split brain"));

        long t0 = System.nanoTime();
        HttpResponse<String> write = shopper.postJson("/api/orders", ORDER);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(REFUSED_WITHIN);
        assertThat(write.statusCode()).isEqualTo(503);
        assertThat(write.headers().firstValue("Retry-After")).contains("5");
        assertThat(JSON.readTree(write.body()).get("error").asText()).isEqualTo("more than one database node takes"
                + " writes (split brain), writes are refused until one is fenced; retry later");
        // The replica replicates no more, so it takes no reads; the last writer serves them (not writes).
        HttpResponse<String> read = shopper.get("/api/products");
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(read.headers().firstValue("X-Db-Node")).contains("primary");
        assertThat(shopper.get("/metrics").body())
                .containsPattern("db_router_writable_nodes\\{[^}]*} 2\\.0")
                .containsPattern("webapp_writes_refused_total\\{[^}]*reason=\"split_brain\"[^}]*} 1\\.0");
    }
}
