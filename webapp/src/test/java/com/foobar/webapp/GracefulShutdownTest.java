package com.foobar.webapp;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.foobar.devdb.ReplicaNode;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class GracefulShutdownTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration REPLICA_DELAY = Duration.ofSeconds(3);

    /**
     * A read that carries a consistency token waits on the lagging replica for the router's causal read timeout
     * (1 s by default; the delay is longer) before it goes to the primary: long enough to be in flight when
     * shutdown begins. The lag stays under the router's maximum, so the replica stays in use.
     */
    @Test
    void closeFinishesTheRequestInFlightThenRefusesConnections() throws Exception {
        WebApp app = SharedDevDb.startWebApp("web-drain");
        ReplicaNode replica = SharedDevDb.get().replicas().get(0);
        java.net.URI uri = app.uri();
        TestClient shopper = new TestClient(uri);
        try {
            HttpResponse<String> created = shopper.postJson("/api/products",
                    "{\"name\":\"Drain Thing\",\"price_cents\":100,\"stock\":10}");
            long product = JSON.readTree(created.body()).get("id").asLong();
            replica.setReplicationDelay(REPLICA_DELAY);
            SharedDevDb.awaitReplicaUsable(app);
            HttpResponse<String> placed = shopper.postJson("/api/orders",
                    "{\"product_id\":" + product + ",\"quantity\":1}");
            assertThat(placed.statusCode()).isEqualTo(201);
            long orderId = JSON.readTree(placed.body()).get("id").asLong();

            CompletableFuture<HttpResponse<String>> inFlight = CompletableFuture.supplyAsync(() -> {
                try {
                    return shopper.get("/api/orders");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5))
                    .until(() -> app.activeRequests() == 1);
            app.close();

            HttpResponse<String> finished = inFlight.get(10, TimeUnit.SECONDS);
            assertThat(finished.statusCode()).isEqualTo(200);
            assertThat(finished.body()).contains("\"id\":" + orderId);
            assertThatThrownBy(() -> new TestClient(uri).get("/health")).isInstanceOf(ConnectException.class);
        } finally {
            replica.setReplicationDelay(Duration.ZERO);
            app.close();
        }
    }
}
