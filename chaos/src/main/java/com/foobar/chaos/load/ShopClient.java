package com.foobar.chaos.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpMethod;

/** The few calls a run makes to the shop outside the load: the product the orders are placed for. */
public final class ShopClient implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The shop's ceiling for a product's stock: far more orders than a run places (20/s for minutes). */
    static final int MAX_STOCK = 1_000_000;

    private final ShopEndpoint endpoint;
    private final HttpClient client;

    public ShopClient(ShopEndpoint endpoint) {
        this.endpoint = endpoint;
        this.client = Clients.started(endpoint, LoadProfile.standard());
    }

    /**
     * Creates the product the load orders, with stock for far more orders than a run places (an order takes stock;
     * the seeded products would run out and answer 409).
     *
     * @return its id
     */
    public long createProduct(String name) throws IOException {
        String body = JSON.createObjectNode().put("name", name)
                .put("description", "placed by the chaos suite; its orders are counted against the database")
                .put("price_cents", 100).put("stock", MAX_STOCK).toString();
        try {
            ContentResponse r = client.newRequest(endpoint.baseUrl() + "/api/products").method(HttpMethod.POST)
                    .timeout(30, TimeUnit.SECONDS)
                    .body(new StringRequestContent("application/json", body)).send();
            if (r.getStatus() != 201) {
                throw new IOException("POST /api/products answered " + r.getStatus() + ": " + r.getContentAsString());
            }
            JsonNode product = JSON.readTree(r.getContentAsString());
            return product.path("id").asLong();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IOException("POST /api/products to " + endpoint + " failed: " + e.getMessage(), e);
        }
    }

    /** One GET, for checks: its status and headers, or the failure. */
    public ContentResponse get(String path) throws IOException {
        try {
            return client.newRequest(endpoint.baseUrl() + path).timeout(10, TimeUnit.SECONDS).send();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IOException("GET " + path + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        Clients.stop(client);
    }
}
